package dev.resilienthttp.faults.internal.json;

/** A document that is not valid JSON, or a value of the wrong shape; the message is shown to API users. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
