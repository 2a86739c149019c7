package dev.resilienthttp.faults.internal.proxy;

/** An API error with the HTTP status Toxiproxy gives it; the message becomes the {@code error} field. */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    /** Go turns every error without its own status (bind failures, bad addresses) into a 500. */
    public static ApiException internal(String message) {
        return new ApiException(500, message);
    }
}
