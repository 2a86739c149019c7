package dev.resilienthttp.kafka.internal;

import dev.resilienthttp.kafka.ProcessorListener;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The consumer loop of a {@code ResilientEventProcessor}. One thread owns the consumer, the producer and every
 * record's state; handlers run elsewhere ({@link Handlers}) and hand their end back through a queue, waking the
 * consumer's poll. Each turn it applies what ended, lets held records run again when due, starts what may start
 * ({@link KeyOrder}: up to {@code maxInFlight}, one per key), pauses or resumes partitions, commits, and polls.
 *
 * <p>The loop never waits for a handler, so it polls at least every {@code pollTimeout} whatever a call takes: no
 * handler's length makes the group think the consumer is gone. Fetching stops (partitions paused, the poll goes on)
 * while a host is blocked, while a protection refuses calls ({@link Hold}), and while the records taken and not done
 * reach {@code 4 × maxInFlight}.
 */
public final class ProcessorLoop<K, V> implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorLoop.class);
    /** Fetched records not done, per record that may run: enough to keep every slot busy, few to redo. */
    private static final int BUFFER_PER_SLOT = 4;

    private final ProcessorSettings<K, V> settings;
    private final Consumer<byte[], byte[]> consumer;
    private final CopyRouter router;
    private final RecordProcessor<K, V> records;
    private final ProcessorListener listener;
    private final Handlers handlers;
    private final PartitionProgress progress = new PartitionProgress();
    private final KeyOrder order;
    private final Waits waits;
    private final Block block;
    private final Hold hold;
    /** What handlers and the producer's callbacks hand back, run on the loop's thread. */
    private final LinkedBlockingQueue<Runnable> ended = new LinkedBlockingQueue<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Set<Work> inHandler = new LinkedHashSet<>();
    private long lastCommitNanos = System.nanoTime();
    private int errorsInARow;
    private volatile boolean stopping;
    private volatile boolean skipFinalCommit;
    /**
     * The final commit is made (or skipped): a revocation from the consumer's close does not wait, and commits only
     * if the final commit failed ({@link #finalCommitFailed}).
     */
    private boolean closing;
    /** The final commit met an error (a timeout, a rebalance in progress): the close's revocation tries once more. */
    private boolean finalCommitFailed;
    /** When shutdown's bound ends ({@link System#nanoTime()}), for the commits of the consumer's close. */
    private long closeDeadlineNanos;
    private volatile Throwable failure;

    public ProcessorLoop(ProcessorSettings<K, V> settings, Consumer<byte[], byte[]> consumer,
                         Producer<byte[], byte[]> producer, Supplier<Producer<byte[], byte[]>> producers,
                         Handlers handlers) {
        this.settings = settings;
        this.consumer = consumer;
        this.listener = new SafeProcessorListener(settings.listener());
        RoutingProducer routing = new RoutingProducer(producer, producers, new TargetPartitions(settings));
        this.router = new CopyRouter(routing, settings.produceBackoff(), listener, this::handBack,
                new CopyRouter.Outcomes() {
                    @Override
                    public void routed(Work work) {
                        progress.done(work.partition, work.offset());
                        RoutedCopy copy = work.copy;
                        listener.routed(work.partition, work.offset(), copy.route(), copy.kind(), copy.failCount());
                    }

                    @Override
                    public void cannotRoute(Work work, Exception error) {
                        fail(error, "routing " + work + " to " + work.copy.record().topic() + " cannot succeed");
                    }
                });
        this.records = new RecordProcessor<>(settings);
        this.handlers = handlers;
        this.order = new KeyOrder(settings.maxInFlight());
        this.waits = new Waits(settings.clock());
        this.block = new Block(settings.blockLifted(), listener);
        this.hold = new Hold(settings.holdRetry(), listener);
    }

    /** Asks the loop to end; thread-safe. The loop lets running handlers finish, commits what is done, closes. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /**
     * As a crash would: the loop ends at once, without waiting for its runs (they are cancelled) and without
     * committing, neither at its end nor in the revocation its consumer's close runs. Thread-safe; for tests.
     */
    public void abandon() {
        skipFinalCommit = true;
        stop();
    }

    /** Asks the loop to resume after a block; thread-safe. */
    public void resume() {
        block.requestResume();
    }

    /** The error that ended the loop, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    public boolean isBlocked() {
        return block.isBlocked();
    }

    public boolean isHolding() {
        return hold.isActive();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                turn();
            }
        } catch (Error | RuntimeException e) {
            fail(e, "the processor's loop broke");
        } finally {
            shutdown();
        }
    }

    private void turn() {
        try {
            applyEnded();
            if (block.isBlocked() && block.tryLift()) {
                order.releaseHeld();
            }
            routeHeldTooLong();
            if (hold.due(System.nanoTime())) {
                // One record probes: if a protection refuses it again, nothing else was tried for nothing.
                order.releaseOne();
            } else if (hold.isActive() && !order.hasHeld() && inHandler.isEmpty()) {
                hold.end("every held record went to the error topic");
            }
            router.retryDue(System.nanoTime());
            start();
            pauseOrResume();
            commitIfDue();
            poll();
            errorsInARow = 0;
        } catch (WakeupException e) {
            // stop() or a handler's end woke the consumer: the loop goes on, or ends if stopping.
        } catch (InterruptException e) {
            // close() interrupted the loop after its grace period.
            stopping = true;
        } catch (KafkaException | IllegalStateException e) {
            if (ProduceErrors.cannotSucceed(e)) {
                fail(e, "the consumer cannot go on");
                return;
            }
            errorsInARow++;
            Duration pause = settings.produceBackoff().after(errorsInARow, Duration.ZERO);
            LOG.error("processor turn failed ({} in a row); it goes on in {}", errorsInARow, pause, e);
            sleepQuietly(pause);
        }
    }

    private void poll() {
        long now = System.nanoTime();
        long wait = Math.min(settings.pollTimeout().toNanos(),
                Math.min(hold.nanosToNext(now), router.nanosToProbe(now)));
        polling.set(true);
        try {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(ended.isEmpty()
                    ? Duration.ofNanos(wait) : Duration.ZERO);
            take(batch);
        } finally {
            polling.set(false);
        }
    }

    /** Takes each partition's records up to its first that is not due yet. */
    private void take(ConsumerRecords<byte[], byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            for (ConsumerRecord<byte[], byte[]> raw : batch.records(partition)) {
                Instant notBefore = records.notYetDue(raw);
                if (notBefore != null) {
                    waits.delay(partition, notBefore);
                    consumer.seek(partition, raw.offset());
                    listener.delayed(partition, raw.offset(), notBefore);
                    break;
                }
                progress.taken(partition, raw.offset());
                order.add(new Work(raw));
            }
        }
    }

    /** Starts every record that may start. */
    private void start() {
        if (stopping || block.isBlocked()) {
            return;
        }
        for (Work work = order.next(hold.isActive()); work != null; work = order.next(hold.isActive())) {
            if (work.record == null) {
                Step unreadable = records.decode(work);
                if (unreadable != null) {
                    order.finished(work);
                    apply(work, unreadable);
                    continue;
                }
            }
            Work started = work;
            inHandler.add(work);
            work.cancel = handlers.start(work.record, (ignored, error) -> handBack(() -> handlerEnded(started, error)));
        }
    }

    /** Thread-safe: queues {@code task} for the loop and wakes its poll. */
    private void handBack(Runnable task) {
        ended.add(task);
        if (polling.compareAndSet(true, false)) {
            consumer.wakeup();
        }
    }

    private void applyEnded() {
        for (Runnable task = ended.poll(); task != null; task = ended.poll()) {
            task.run();
        }
    }

    private void handlerEnded(Work work, Throwable error) {
        inHandler.remove(work);
        if (work.abandoned) {
            order.finished(work);
            return;
        }
        long now = System.nanoTime();
        boolean mayHold = work.heldSinceNanos == 0 || now - work.heldSinceNanos < settings.maxHold().toNanos();
        apply(work, records.after(work, error, mayHold, stopping), error);
    }

    /**
     * Held records that waited {@code maxHold} go to the error topic, whether or not their probe came; not while a
     * host is blocked: then nothing is routed, and a record held before the block (its probe met the block, or it
     * waits behind that probe) waits for the block's end like every other.
     */
    private void routeHeldTooLong() {
        if (block.isBlocked()) {
            return;
        }
        long now = System.nanoTime();
        for (Work work : order.takeHeld(w -> w.refusal != null
                && now - w.heldSinceNanos >= settings.maxHold().toNanos())) {
            apply(work, records.after(work, work.refusal, false, stopping), work.refusal);
        }
    }

    private void apply(Work work, Step step) {
        apply(work, step, null);
    }

    private void apply(Work work, Step step, Throwable error) {
        switch (step.kind) {
            case DONE:
                order.finished(work);
                progress.done(work.partition, work.offset());
                listener.handled(work.partition, work.offset());
                if (work.heldSinceNanos != 0) {
                    // A record a protection refused went through: only this says the protection lets calls in.
                    callsGetThrough();
                }
                return;
            case HOLD:
                order.hold(work);
                work.refusal = error;
                if (work.heldSinceNanos == 0) {
                    work.heldSinceNanos = System.nanoTime();
                }
                hold.refused(work, step.reason);
                return;
            case PAUSE:
                // A blocked client fails every event the same way: nothing is routed, everything waits. The record
                // now waits for the block, not for a protection: an earlier refusal no longer says why it waits.
                order.hold(work);
                work.refusal = null;
                if (!block.isBlocked()) {
                    block.start(work.toString(), consumer.assignment().size(), step.reason);
                    listener.blocked(work.partition, work.offset(), step.reason);
                }
                return;
            case ROUTE:
                order.finished(work);
                work.copy = step.copy;
                router.route(work);
                return;
            case NOT_DONE:
                // Cancelled by the close: not committed, the next run redoes it.
                order.finished(work);
                return;
            case STOP:
                order.finished(work);
                fail(step.error, "the handler of " + work + " stopped the processor");
                return;
            default:
                throw new AssertionError(step.kind);
        }
    }

    /** A call succeeded: a hold ends, and the records it held run again first. */
    private void callsGetThrough() {
        if (hold.isActive()) {
            hold.end("a call succeeded");
            order.releaseHeld();
        }
    }

    /** Stops the processor on its own: one ERROR, nothing past what is not done committed. */
    private void fail(Throwable error, String what) {
        if (failure == null) {
            failure = error;
            LOG.error("{}: the processor stops; nothing past its records not done is committed", what, error);
            listener.stopped(error);
        }
        stopping = true;
    }

    /** Fetches from a partition only while nothing holds it, so the poll goes on without taking more. */
    private void pauseOrResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        boolean all = stopping || block.isBlocked() || hold.isActive()
                || progress.notDone() >= BUFFER_PER_SLOT * settings.maxInFlight();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            boolean waiting = all || waits.holds(partition);
            if (waiting && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!waiting && paused.contains(partition)) {
                resume.add(partition);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** Commits when nothing is in flight, else at most every {@code commitInterval}. */
    private void commitIfDue() {
        if (progress.notDone() > 0 && System.nanoTime() - lastCommitNanos < settings.commitInterval().toNanos()) {
            return;
        }
        commit(consumer.assignment());
    }

    private boolean commit(Collection<TopicPartition> partitions) {
        return commit(partitions, settings.commitTimeout(), "it is tried again next turn") != Commit.WOKEN;
    }

    /** How a commit ended. */
    private enum Commit {
        /** What is done is committed, or there was nothing to commit. */
        DONE,
        /** A wake-up came first (not stopping): nothing was sent. */
        WOKEN,
        /** The commit met an error, logged with {@code then}. */
        FAILED
    }

    /** @param then what becomes of the offsets if the commit fails, for the log */
    private Commit commit(Collection<TopicPartition> partitions, Duration timeout, String then) {
        Map<TopicPartition, OffsetAndMetadata> offsets = progress.uncommitted(partitions);
        if (offsets.isEmpty()) {
            return Commit.DONE;
        }
        try {
            consumer.commitSync(offsets, timeout);
        } catch (WakeupException e) {
            if (stopping) {
                throw e;
            }
            return Commit.WOKEN;     // a handler's end woke the consumer: the commit is made next turn
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("commit of {} failed; {}: {}", offsets, then, e.toString());
            return Commit.FAILED;
        }
        lastCommitNanos = System.nanoTime();
        progress.committed(offsets);
        listener.committed(offsets);
        return Commit.DONE;
    }

    /**
     * Waits up to {@code closeTimeout} for the running handlers and routed copies, cancels what still runs, commits
     * what is done and closes the clients, all within twice {@code closeTimeout} less an eighth: {@code close()} waits
     * twice {@code closeTimeout} for this thread, and the steps between the bounded waits take some time too.
     */
    private void shutdown() {
        long deadline = System.nanoTime() + settings.closeTimeout().multipliedBy(2)
                .minus(settings.closeTimeout().dividedBy(8)).toNanos();
        closeDeadlineNanos = deadline;
        Duration quarter = settings.closeTimeout().dividedBy(4);
        boolean interrupted = Thread.interrupted();
        if (!interrupted && !skipFinalCommit) {
            interrupted = awaitInFlight(work -> true, settings.closeTimeout());
        }
        cancel(work -> true, "at close");
        handlers.close();
        // An interrupt would fail the commit and the clients' close: it is kept for the end.
        interrupted |= Thread.interrupted();
        if (!skipFinalCommit) {
            finalCommitFailed = !finalCommit(finalCommitTimeout(settings.closeTimeout(), left(deadline)));
        }
        // The consumer's close runs the revocation callback: what it would wait for was just waited for, and a second
        // wait, for a copy the brokers will not acknowledge, would overrun close()'s bound. It commits only what the
        // final commit failed to, once, within what is left of the bound.
        closing = true;
        try {
            consumer.close(CloseOptions.timeout(min(quarter, left(deadline).dividedBy(2))));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer failed", e);
        }
        try {
            router.close(min(quarter, left(deadline)));
        } catch (RuntimeException e) {
            LOG.warn("closing the producer failed", e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Cancels the chosen runs still in a handler (interrupts a blocking handler, cancels an asynchronous one's stage);
     * each still hands its end back.
     */
    private void cancel(Predicate<Work> chosen, String when) {
        List<Work> running = inHandler.stream().filter(chosen).toList();
        if (!running.isEmpty()) {
            LOG.warn("{} handlers still run {}: cancelling them; their records are not committed", running.size(),
                    when);
            running.forEach(work -> work.cancel.run());
        }
    }

    /**
     * The final commit's bound: half of {@code closeTimeout} and of what is left of shutdown's bound (the clients'
     * close has the other half). It comes after the last poll, so a quarter of {@code max.poll.interval.ms}
     * (commitTimeout's cap) does not limit it.
     */
    static Duration finalCommitTimeout(Duration closeTimeout, Duration left) {
        return min(closeTimeout.dividedBy(2), left.dividedBy(2));
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** @return whether what is done is committed (or there was nothing to commit) */
    private boolean finalCommit(Duration timeout) {
        for (int tries = 0; tries < 2; tries++) {
            try {
                Commit commit = commit(consumer.assignment(), timeout,
                        "it is tried once more as the consumer closes");
                if (commit != Commit.WOKEN) {
                    return commit == Commit.DONE;
                }
            } catch (WakeupException e) {
                // A wakeup left over from stop() or a handler: it fires once, so the second try runs.
            } catch (RuntimeException e) {
                LOG.warn("the last commit failed; it is tried once more as the consumer closes", e);
                return false;
            }
        }
        return false;
    }

    /**
     * Applies what ends until no chosen work is in a handler or being routed, or {@code timeout} passed.
     *
     * @return whether the wait was interrupted
     */
    private boolean awaitInFlight(Predicate<Work> chosen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (inHandler.stream().anyMatch(chosen) || router.busyWith(chosen)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Runnable task = ended.poll(left, TimeUnit.NANOSECONDS);
                if (task != null) {
                    task.run();
                }
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(Math.max(1, Math.min(pause.toMillis(), settings.closeTimeout().toMillis())));
        } catch (InterruptedException e) {
            stopping = true;
        }
    }

    /** Runs inside {@code poll}, on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            if (closing) {
                if (finalCommitFailed) {
                    commitAtClose(partitions);
                }
                forget(gone, "at close");
                return;
            }
            // Inside poll, a handler's end wakes the consumer, and the wake-up would fail the commit below: there is
            // no next turn for these partitions, and the next owner would redo what finished. So no wake-up from here
            // to the end of the callback, and one made before it is spent by a first try.
            boolean wakeable = polling.getAndSet(false);
            try {
                // What runs now finishes (bounded) and is committed, so the next owner does not run it at once too. The
                // wait and the commit are inside poll(): each within commitTimeout, so well within max.poll.interval.ms.
                if (awaitInFlight(work -> gone.contains(work.partition), settings.commitTimeout())) {
                    Thread.currentThread().interrupt();
                }
                try {
                    if (!commitOrWoken(partitions)) {
                        // A wake-up fires once: this second try runs whatever stop() asked meanwhile, as the final
                        // commit's does; the partitions are forgotten next, so there is no later commit for them.
                        commitRevoked(partitions);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("commit on revocation failed; the next owner redoes those records", e);
                }
                forget(gone, "after their partitions were revoked");
            } finally {
                if (wakeable) {
                    polling.set(true);
                    if (!ended.isEmpty() && polling.compareAndSet(true, false)) {
                        consumer.wakeup();   // what ended meanwhile is applied at once, as after any other end
                    }
                }
            }
        }

        /** @return whether what is done is committed; {@code false} when a wake-up came first, stopping or not */
        private boolean commitOrWoken(Collection<TopicPartition> partitions) {
            try {
                return commitRevoked(partitions);
            } catch (WakeupException e) {
                return false;    // stop() woke the consumer (a close during the rebalance)
            }
        }

        /** @return whether it was not woken: there is no next turn for these partitions, the next owner redoes them */
        private boolean commitRevoked(Collection<TopicPartition> partitions) {
            return commit(partitions, settings.commitTimeout(), "the next owner redoes those records") != Commit.WOKEN;
        }

        /**
         * The final commit failed: one more try as the consumer leaves the group, within commitTimeout and half of
         * what is left of the close's bound (the consumer's close has the other half).
         */
        private void commitAtClose(Collection<TopicPartition> partitions) {
            try {
                commit(partitions, min(settings.commitTimeout(), left(closeDeadlineNanos).dividedBy(2)),
                        "the records after the last committed offset will be redone");
            } catch (RuntimeException e) {
                LOG.warn("the commit at close failed; the records after the last committed offset will be redone", e);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(new HashSet<>(partitions), "after their partitions were lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A paused partition must not stay paused for a reason this consumer no longer remembers (the bug in
            // spring-kafka#2531): the next turn pauses a partition that must wait for a due time.
            if (stopping || block.isBlocked() || hold.isActive()) {
                consumer.pause(partitions);
            } else {
                consumer.resume(partitions);
            }
        }

        private void forget(Set<TopicPartition> gone, String when) {
            for (Work work : inHandler) {
                work.abandoned |= gone.contains(work.partition);
            }
            // The next owner redoes what still runs: it is cancelled as a close cancels, and keeps its key until it
            // has ended (KeyOrder.forget), so the key's next record never runs beside it.
            cancel(work -> gone.contains(work.partition), when);
            router.forget(gone);
            progress.forget(gone);
            waits.forget(gone);
            order.forget(gone);
        }
    }
}
