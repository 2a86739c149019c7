package dev.resilienthttp.examples.replay;

/** A wrong command line: the message is for the user, and the replay exits with status 2. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
