package dev.resilienthttp.core.internal;

/** What became of an exchange's connection when the exchange ended, as the client can tell from its response. */
public enum ConnectionAfter {
    /** Closed: the exchange failed, its body was cut off, or the response said {@code Connection: close}. */
    CLOSED,
    /** Back in the pool, idle, for the next request to the origin (HTTP/1.1 keep-alive). */
    POOLED,
    /** Still shared by the origin's other requests (HTTP/2). */
    SHARED
}
