package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.ProcessorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Whether the processor is paused for a blocked host, and when that ends: on {@code resume()}, or when the user's
 * {@code blockLifted} check says so. One ERROR line per block, however many polls it lasts.
 */
final class Block {
    private static final Logger LOG = LoggerFactory.getLogger(Block.class);

    private final BooleanSupplier lifted;
    private final ProcessorListener listener;
    private final AtomicBoolean resumeRequested = new AtomicBoolean();
    private volatile boolean blocked;

    Block(BooleanSupplier lifted, ProcessorListener listener) {
        this.lifted = lifted;
        this.listener = listener;
    }

    /** Thread-safe: {@code state()} asks it from the application's thread. */
    boolean isBlocked() {
        return blocked;
    }

    /** Starts a block; a {@code resume()} asked for before it does not end it. */
    void start(String at, int partitions, String reason) {
        blocked = true;
        resumeRequested.set(false);
        LOG.error("the upstream host is blocked: consumption of {} partitions is paused at {} until the block is "
                + "lifted or resume() is called; nothing past it is committed. {}", partitions, at, reason);
    }

    /** Thread-safe: ends the block at the loop's next turn. */
    void requestResume() {
        resumeRequested.set(true);
    }

    /** Asked once per turn while blocked: whether the block just ended. */
    boolean tryLift() {
        boolean lift = resumeRequested.getAndSet(false);
        if (!lift) {
            try {
                lift = lifted.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.warn("blockLifted threw; the processor stays paused", e);
            }
        }
        if (lift) {
            blocked = false;
            LOG.info("block lifted: consumption resumes");
            listener.unblocked();
        }
        return lift;
    }
}
