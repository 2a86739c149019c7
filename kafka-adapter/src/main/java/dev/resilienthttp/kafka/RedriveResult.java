package dev.resilienthttp.kafka;

/**
 * What a {@link Redrive} run did.
 *
 * @param scanned  dead-letter records read
 * @param matched  of those, the ones the filter selected
 * @param moved    of those, the ones produced to their target and acknowledged (0 in a dry run)
 * @param dryRun   whether the run only counted
 * @param complete whether it reached the end of the dead-letter topic as it was when the run started (false when
 *                 it stopped at its limit or found no more records for {@code maxIdle})
 */
public record RedriveResult(long scanned, long matched, long moved, boolean dryRun, boolean complete) {
    @Override
    public String toString() {
        return (dryRun ? "dry run: " : "") + scanned + " scanned, " + matched + " matched, " + moved + " moved"
                + (complete ? "" : " (stopped before the end)");
    }
}
