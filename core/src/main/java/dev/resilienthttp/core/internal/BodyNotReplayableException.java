package dev.resilienthttp.core.internal;

import java.io.IOException;

/**
 * A re-send of a request body that {@link OffloadedPublisher} stopped: its bytes differ from an earlier send's, or
 * its publisher failed when subscribed to again. The exchange fails with it before the request is complete, and
 * {@link FailureClassifier} makes it a permanent failure: a retry would meet the same body.
 */
public final class BodyNotReplayableException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyNotReplayableException(String message) {
        super(message);
    }

    BodyNotReplayableException(String message, Throwable cause) {
        super(message, cause);
    }
}
