package dev.resilienthttp.core;

/**
 * The {@link ResilientHttpClient} was closed before or during the call. It says nothing about the request or the
 * server: the application is shutting down, and the work should be handed back (not dead-lettered) so that the next
 * run does it.
 */
public final class ClientClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what was closed */
    public ClientClosedException(String message) {
        super(message);
    }
}
