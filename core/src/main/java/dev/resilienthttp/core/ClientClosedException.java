package dev.resilienthttp.core;

/**
 * The {@link ResilientHttpClient} was closed before or during the call. It says nothing about the request or the
 * server: the application is shutting down, and the work should be handed back (not dead-lettered) so that the next
 * run does it.
 *
 * <p>A call that had made attempts and was to make another (it was waiting to retry, or its attempt in flight
 * failed as the client closed) ends with this at once, not when its wait runs out; its {@link #getCause() cause}
 * is then the {@link HttpFailureException} whose report tells those attempts.
 */
public final class ClientClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what was closed */
    public ClientClosedException(String message) {
        super(message);
    }

    /**
     * @param message what was closed
     * @param attempts the failure of the call's attempts so far
     */
    public ClientClosedException(String message, HttpFailureException attempts) {
        super(message, attempts);
    }
}
