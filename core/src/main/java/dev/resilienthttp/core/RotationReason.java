package dev.resilienthttp.core;

/** Why a client replaced its pool of connections (its "generation") with a fresh one. */
public enum RotationReason {
    /** The generation reached {@code maxConnectionAge}: its oldest connections could outlive a NAT mapping. */
    MAX_AGE,
    /** No request for longer than {@code maxIdle}: every pooled connection may have been dropped on the path. */
    IDLE,
    /** A pooled connection turned out to be dead: the others of its generation are suspect too. */
    STALE_CONNECTION
}
