/**
 * Maps a final {@code FailureReport} onto an event's {@code fail_count} and {@code fail_reason}, and
 * routes the event to the error topic or the dead-letter topic without losing it.
 *
 * <p>Not built yet: this package holds only its contract. {@code fail_count} counts failed
 * processing passes of an event (1 after the first routed failure); HTTP attempts within a pass are
 * core's 1-based attempts and travel in a header.
 */
package dev.resilienthttp.kafka;
