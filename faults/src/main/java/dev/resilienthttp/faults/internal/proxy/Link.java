package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Chunk;
import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.LinkControl;
import dev.resilienthttp.faults.internal.toxic.Stage;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of one connection: a reader thread turns each read of the source socket into a
 * stamped chunk in a queue, and a pipeline thread takes chunks through the {@link Chain} to the
 * destination socket. When the stream ends (or a toxic ends the link) the destination is closed
 * fully, never half-closed, which then ends the other direction: Toxiproxy's behaviour.
 */
final class Link implements LinkControl {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    /** Go's io.Copy buffer: the largest chunk. */
    private static final int CHUNK_SIZE = 32 * 1024;
    /** Go's latency stage buffers this many chunks, which is why latency does not cap throughput. */
    private static final int QUEUE_CHUNKS = 1024;
    /** Toxic changes a link holds unapplied: far more than any test makes while one write blocks. */
    private static final int MAX_PENDING_CHANGES = 64;

    private final Connection connection;
    private final Direction direction;
    private final Socket source;
    private final Socket destination;
    private final Object lock = new Object();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final Chain chain;
    /**
     * Toxic changes not yet applied, in order, guarded by lock. Each is applied, not only the last: a timeout toxic
     * added and removed at once must still end the link on its removal, as Toxiproxy's does. Bounded: past
     * {@link #MAX_PENDING_CHANGES} (a pipeline stuck in a blocked write meanwhile) the newest replaces the last.
     */
    private final ArrayDeque<List<ToxicSpec>> pendingChanges = new ArrayDeque<>();
    private boolean aborted;
    // Only the pipeline thread writes it; the reader reads it.
    private volatile boolean ended;

    Link(Connection connection, Direction direction, Socket source, Socket destination, List<ToxicSpec> toxics) {
        this.connection = connection;
        this.direction = direction;
        this.source = source;
        this.destination = destination;
        this.pendingChanges.add(toxics);
        this.chain = new Chain(this, this::write);
    }

    void start(Workers workers, String name) {
        workers.start(name + "-" + direction.name().toLowerCase() + "-read", this::readLoop);
        workers.start(name + "-" + direction.name().toLowerCase() + "-pipe", this::pipelineLoop);
    }

    /** Swaps the toxics of this live link; the pipeline applies it before its next chunk. */
    void reconfigure(List<ToxicSpec> toxics) {
        synchronized (lock) {
            if (pendingChanges.size() >= MAX_PENDING_CHANGES) {
                pendingChanges.removeLast();
            }
            pendingChanges.addLast(toxics);
            lock.notifyAll();
        }
    }

    /** The connection is closing: stop at once, dropping whatever is queued. */
    void abort() {
        synchronized (lock) {
            aborted = true;
            queue.clear();
            lock.notifyAll();
        }
    }

    private void readLoop() {
        try {
            // Not try-with-resources: closing the stream would close the socket, which only the
            // link that writes to it may do.
            InputStream in = source.getInputStream();
            byte[] buffer = new byte[CHUNK_SIZE];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                long now = now();
                IdleWatch.Verdict verdict = connection.idleWatch().onBytes(direction, now);
                if (verdict == IdleWatch.Verdict.RESET) {
                    connection.reset();
                    return;
                }
                if (verdict == IdleWatch.Verdict.PASS && !enqueue(Chunk.of(Arrays.copyOf(buffer, n), now))) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("{} read ended: {}", direction, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} reader failed; ending the link", direction, e);
        }
        enqueue(Chunk.end(now()));
    }

    /** Blocks while the queue is full (back-pressure to the source); false once the link is done. */
    private boolean enqueue(Chunk chunk) {
        synchronized (lock) {
            while (queue.size() >= QUEUE_CHUNKS && !aborted && !ended) {
                waitOn(Stage.NEVER);
            }
            if (aborted || ended) {
                return false;
            }
            queue.add(chunk);
            lock.notifyAll();
            return true;
        }
    }

    private void pipelineLoop() {
        try {
            while (!ended) {
                List<ToxicSpec> change;
                Chunk chunk = null;
                synchronized (lock) {
                    long wake = chain.nextWake();
                    while (!aborted && pendingChanges.isEmpty() && queue.isEmpty() && before(wake)) {
                        waitOn(wake);
                    }
                    if (aborted) {
                        return;
                    }
                    change = pendingChanges.pollFirst();
                    if (change == null) {
                        chunk = queue.poll();
                        lock.notifyAll();
                    }
                }
                if (change != null) {
                    chain.apply(change, now());
                } else if (chunk != null) {
                    chain.push(chunk);
                } else {
                    chain.wake(now());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{} link failed", direction, e);
        } finally {
            ended = true;
            connection.linkEnded(this, destination);
        }
    }

    private void write(Chunk chunk) {
        if (ended) {
            return;
        }
        if (chunk.isEnd()) {
            end();
            return;
        }
        try {
            OutputStream out = destination.getOutputStream();
            out.write(chunk.data());
        } catch (IOException e) {
            LOG.debug("{} write failed: {}", direction, e.toString());
            end();
        }
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public boolean sleepUntil(long deadline) {
        synchronized (lock) {
            while (!aborted && pendingChanges.isEmpty() && before(deadline)) {
                waitOn(deadline);
            }
            return !aborted && pendingChanges.isEmpty();
        }
    }

    @Override
    public void sleepUninterruptibly(long deadline) {
        synchronized (lock) {
            while (!aborted && before(deadline)) {
                waitOn(deadline);
            }
        }
    }

    @Override
    public void end() {
        ended = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public Random random() {
        return ThreadLocalRandom.current();
    }

    private boolean before(long deadline) {
        return deadline == Stage.NEVER || now() - deadline < 0;
    }

    /** Waits on the lock until {@code deadline} (or forever for {@link Stage#NEVER}); caller holds the lock. */
    private void waitOn(long deadline) {
        try {
            if (deadline == Stage.NEVER) {
                lock.wait();
            } else {
                long left = deadline - now();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = true;
        }
    }
}
