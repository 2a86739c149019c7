package dev.resilienthttp.core;

/**
 * Whether the server may have acted on a request, as far as the client can tell. The order matters:
 * a later constant is a stronger claim, and a call's outcome is the strongest of its attempts'.
 */
public enum Outcome {
    /** The request never left the client (connect failed, a local protection refused it, the peer said so). */
    NOT_SENT,
    /** The request may have reached the server; the wire cannot tell (a reset before any response byte). */
    MAYBE_PROCESSED,
    /** The server answered, in full or in part: it received and acted on the request. */
    PROCESSED;

    /** The stronger of the two claims. */
    public Outcome max(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
