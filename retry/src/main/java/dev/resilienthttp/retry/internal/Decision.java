package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;

import java.time.Duration;

/** What to do after a failed attempt: retry after a wait, or end the call. */
public sealed interface Decision {

    /**
     * Retry after {@code delay}.
     *
     * @param delay the wait before the next attempt
     */
    record Retry(Duration delay) implements Decision {
    }

    /**
     * End the call.
     *
     * @param kind   the kind that ends it
     * @param detail why, when the last attempt's kind does not say it all; {@code ""} otherwise
     */
    record Stop(FailureKind kind, String detail) implements Decision {
    }
}
