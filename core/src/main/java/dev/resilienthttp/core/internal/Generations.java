package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.ClientClosedException;
import dev.resilienthttp.core.RotationReason;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The connection pools of one client, as generations of JDK clients. The JDK exposes no pool: no idle
 * eviction per client, FIFO reuse (the connection idle longest goes first) and, on 17, a 1200 s keep-alive
 * and none at all for HTTP/2. So the only way to bound how long any connection sits idle is to bound the
 * life of the whole pool: a generation is replaced when it is older than {@code maxAge}, when the origin of the
 * next request has not used it for {@code maxIdle}, and when one of its pooled connections turned out to be dead.
 *
 * <p>New requests always go to the current generation; a retired one keeps serving the requests already
 * on it and is shut down (JDK 21+) or dropped (JDK 17) when the last of them finishes. Normally that leaves at
 * most two alive: the current one and one draining. A generation retired while an older one still drains adds
 * a third until the older one's last request ends (bounded by the request timeout). On JDK 17 a dropped JDK
 * client keeps its selector thread and idle sockets until the garbage collector reclaims it.
 *
 * <p>Every deadline is computed from a {@code now} passed in, in nanoseconds of a {@link Ticker}.
 */
public final class Generations implements AutoCloseable {

    /** Hears rotations; called outside the lock, on the thread that caused them. */
    @FunctionalInterface
    public interface RotationListener {
        /** {@code retired} was replaced by {@code current} because of {@code reason}. */
        void rotated(Generation retired, Generation current, RotationReason reason);

        /** {@code current} was asked to rotate for {@code reason} but is too young: it stays. */
        default void suppressed(Generation current, RotationReason reason) {
        }
    }



    private static final Consumer<HttpClient.Version> NOTHING = version -> { };

    private record Rotation(Generation retired, Generation current, RotationReason reason) {
    }

    private final Supplier<HttpClient> factory;
    private final long maxAgeNanos;
    private final long maxIdleNanos;
    /**
     * How long a pooled connection must sit idle to be stale. A generation younger than this is not replaced for a
     * stale connection either, whatever reports one: none of its connections can have sat idle that long, so resets
     * on it are the server's, and replacing the pool would only open more connections to a server that is resetting
     * them (a reconnect storm, with TLS a handshake storm).
     */
    private final long staleAfterIdleNanos;
    private final RotationListener listener;
    /** Runs once, when the client is closed and its last generation shut down. */
    private final Runnable whenDrained;

    /** The calls waiting to retry, woken by {@link #close}: none of them could make another attempt. */
    private final CloseWakes waits = new CloseWakes();
    private final List<Generation> draining = new ArrayList<>();
    private Generation current;
    private int created;
    private boolean closed;

    /**
     * @param factory  builds the JDK client of a new generation
     * @param maxAge   a generation older than this takes no new request
     * @param maxIdle  a generation unused for this long takes no new request
     * @param staleAfterIdle how long a pooled connection must sit idle for a reset on it to be a stale connection
     * @param listener hears every rotation
     * @param whenDrained runs once, on the thread that ended the last request, when the client is closed and no
     *                    generation is left
     */
    public Generations(Supplier<HttpClient> factory, Duration maxAge, Duration maxIdle, Duration staleAfterIdle,
                       RotationListener listener, Runnable whenDrained) {
        this.factory = factory;
        this.maxAgeNanos = maxAge.toNanos();
        this.maxIdleNanos = maxIdle.toNanos();
        this.staleAfterIdleNanos = staleAfterIdle.toNanos();
        this.listener = listener;
        this.whenDrained = whenDrained;
    }

    /**
     * The generation a request to {@code origin} (an {@link Origin#key}) starting at {@code now} must use, counted as in flight until
     * {@link #release}. Replaces the current generation first if it has expired for that origin. Creates the first
     * generation lazily, so that building a client opens no thread.
     *
     * @throws dev.resilienthttp.core.ClientClosedException if the client is closed
     */
    public Lease acquire(long now, String origin) {
        Rotation rotation = null;
        Lease lease;
        synchronized (this) {
            if (closed) {
                throw new ClientClosedException("the ResilientHttpClient is closed");
            }
            if (current == null) {
                current = newGeneration(now);
            } else {
                RotationReason expiry = expiry(current, origin, now);
                if (expiry != null) {
                    rotation = rotate(now, expiry);
                }
            }
            current.inFlight++;
            lease = current.started(origin, now, staleAfterIdleNanos);
        }
        announce(rotation);
        return lease;
    }

    /**
     * Ends the request of {@code lease}, whose connection became what {@code after} says; shuts a retired generation
     * down once it is drained.
     *
     * @return whether the request may have been given a stale connection, as known now that it ended: {@link
     *         Lease#mayBeStale}, unless it went on the origin's shared HTTP/2 connection and that has answered since it
     *         started (so a reset that failed it is no stale connection). Judged here, at the exchange's end, rather
     *         than when the failure is classified, after which a new connection's answers could count.
     */
    public boolean release(Lease lease, long now, ConnectionAfter after) {
        Generation generation = lease.generation();
        boolean mayBeStale;
        boolean drained;
        boolean last;
        synchronized (this) {
            mayBeStale = lease.mayBeStale() && generation.mayBeStale(lease);
            generation.inFlight--;
            generation.ended(lease, now, after);
            drained = takeIfDrained(generation);
            last = drained && closed && draining.isEmpty();
        }
        if (drained) {
            JdkClients.shutdown(generation.client());
        }
        if (last) {
            whenDrained.run();
        }
        return mayBeStale;
    }

    /**
     * What the request of {@code lease} runs when its response headers arrive, whatever their status: for a request
     * that may have been given a stale connection, {@link #connected}; for any other, nothing (no lock on the common
     * path). A failed status's headers count too: its body goes to a short prefix, but the request holds its
     * connection from the headers on all the same.
     */
    public Consumer<HttpClient.Version> whenConnected(Lease lease) {
        return lease.mayBeStale() ? version -> connected(lease, version) : NOTHING;
    }

    /**
     * The response headers of the request of {@code lease} arrived over {@code version}: it has its connection, which
     * another request can no longer be given; over HTTP/2, the origin's one connection answered
     * ({@link Generation#connected}).
     */
    void connected(Lease lease, HttpClient.Version version) {
        synchronized (this) {
            lease.generation().connected(lease, version);
        }
    }

    /**
     * Replaces {@code generation} if it is still the current one: one of its pooled connections was dead, so
     * the others are suspect. A no-op when another request already replaced it, and suppressed (the listener hears
     * it) when the generation is younger than {@link #staleAfterIdleNanos}.
     */
    public void retire(Generation generation, long now, RotationReason reason) {
        Rotation rotation = null;
        boolean suppressed = false;
        synchronized (this) {
            if (!closed && generation == current) {
                if (now - generation.createdAt() < staleAfterIdleNanos) {
                    suppressed = true;
                } else {
                    rotation = rotate(now, reason);
                }
            }
        }
        if (suppressed) {
            listener.suppressed(generation, reason);
        }
        announce(rotation);
    }

    /**
     * Why {@code generation} may take no new request to {@code origin} at {@code now}, or {@code null} if it still
     * may. Idle time is per origin: a busy origin must not keep a quiet one's pooled connections alive past
     * {@code maxIdle} (an ALB in front of the quiet one would reset them).
     */
    RotationReason expiry(Generation generation, String origin, long now) {
        if (now - generation.createdAt() >= maxAgeNanos) {
            return RotationReason.MAX_AGE;
        }
        if (generation.usedBy(origin) && now - generation.lastUse(origin) >= maxIdleNanos) {
            return RotationReason.IDLE;
        }
        return null;
    }

    /** Generations not yet shut down: the current one and those still finishing requests. */
    public synchronized int alive() {
        return (current == null ? 0 : 1) + draining.size();
    }

    /** The current generation's number, or 0 before the first request. */
    public synchronized int currentNumber() {
        return current == null ? 0 : current.number();
    }

    /**
     * Takes no new request from now on. Generations with requests in flight finish them and are shut down
     * when the last one ends; idle ones are shut down now. Calls waiting to retry are woken ({@link #whenClosed}).
     */
    @Override
    public void close() {
        List<Generation> idle = new ArrayList<>();
        boolean last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                current.retired = true;
                draining.add(current);
                current = null;
            }
            for (Generation generation : List.copyOf(draining)) {
                if (takeIfDrained(generation)) {
                    idle.add(generation);
                }
            }
            last = draining.isEmpty();
        }
        waits.close();
        idle.forEach(generation -> JdkClients.shutdown(generation.client()));
        if (last) {
            whenDrained.run();
        }
    }

    /**
     * Runs {@code wake} when the client closes, unless the returned handle runs first; at once if it is closed
     * already ({@link CloseWakes#register}).
     */
    public Runnable whenClosed(Runnable wake) {
        return waits.register(wake);
    }

    private Rotation rotate(long now, RotationReason reason) {
        Generation fresh = newGeneration(now);   // first: if building it throws, nothing has changed
        Generation retired = current;
        retired.retired = true;
        draining.add(retired);
        current = fresh;
        if (takeIfDrained(retired)) {
            JdkClients.shutdown(retired.client());
        }
        return new Rotation(retired, current, reason);
    }

    private boolean takeIfDrained(Generation generation) {
        if (generation.retired && generation.inFlight == 0 && !generation.closed) {
            generation.closed = true;
            draining.remove(generation);
            return true;
        }
        return false;
    }

    private Generation newGeneration(long now) {
        return new Generation(++created, factory.get(), now);
    }

    private void announce(Rotation rotation) {
        if (rotation != null) {
            listener.rotated(rotation.retired(), rotation.current(), rotation.reason());
        }
    }
}
