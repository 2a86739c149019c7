package dev.resilienthttp.fleet.internal;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The thread that writes this instance's signals. A call's thread only leaves a signal in {@link PendingSignals} (the
 * latest per host) and goes on: {@link #offer} never waits. This thread creates the producer (again and again, with
 * a backoff, while the bootstrap names do not resolve), hands it each signal, and takes a failed one back while it is
 * still its host's latest; the producer's own waits ({@code max.block.ms}, its buffer) fall on this thread alone.
 *
 * <p>{@link #stop} bounds the rest by the close timeout: what is still waiting is sent until then, or until a send
 * fails at once (no metadata within {@code max.block.ms}: the broker is unreachable, and each further send would wait
 * as long); the producer is then closed with the time left, and what was not sent is logged.
 */
final class ControlPublisher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");
    /** The longest this thread sleeps without looking at what waits (a signal or stop() wakes it sooner). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<String, Object> config;
    private final String topic;
    private final RateLimitedLog log;
    private final Duration closeTimeout;
    private final Clock clock;
    private final PendingSignals pending;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile long stoppedAt;
    /** Only this thread touches it. */
    private KafkaProducer<byte[], byte[]> producer;

    /** @param superseded whether a waiting signal has been made pointless by one written or read since */
    ControlPublisher(Map<String, Object> config, String topic, RateLimitedLog log, Duration closeTimeout,
                     Clock clock, Predicate<Signal> superseded) {
        this.pending = new PendingSignals(superseded);
        this.config = config;
        this.topic = topic;
        this.log = log;
        this.closeTimeout = closeTimeout;
        this.clock = clock;
    }

    /** Queues {@code signal} for the topic, replacing what waits for its host; never waits. */
    void offer(Signal signal) {
        pending.offer(signal, System.nanoTime());
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        Duration backoff = PendingSignals.FIRST_BACKOFF;
        try {
            while (running) {
                if (producer == null) {
                    producer = create();
                    if (producer == null) {
                        idle(backoff.toNanos());
                        backoff = backoff.multipliedBy(2).compareTo(PendingSignals.MAX_BACKOFF) > 0
                                ? PendingSignals.MAX_BACKOFF : backoff.multipliedBy(2);
                    }
                    continue;
                }
                Signal next = pending.next(clock.instant(), System.nanoTime());
                if (next == null) {
                    idle(Math.min(MAX_IDLE_NANOS, pending.nanosUntilDue(System.nanoTime())));
                } else {
                    send(next);
                }
            }
            sendWhatIsLeft();
        } finally {
            Thread.interrupted();   // an interrupt from close() has done its work: the producer must close cleanly
            if (producer != null) {
                try {
                    producer.close(timeLeft());
                } catch (RuntimeException e) {
                    LOG.warn("the producer of the control topic {} did not close cleanly: {}", topic, e.toString());
                }
            }
        }
    }

    /** Stops the loop; what waits is sent within the close timeout, and the caller then joins the thread. */
    void stop() {
        stoppedAt = System.nanoTime();
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private KafkaProducer<byte[], byte[]> create() {
        try {
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {   // "No resolvable bootstrap urls" while the DNS does not know Kafka yet, ...
            warn("create", "cannot create the producer for the control topic " + topic + " (" + cause(e) + "); "
                    + "this instance goes on alone and tries again");
            return null;
        }
    }

    private void idle(long nanos) {
        synchronized (wake) {
            if (!running || nanos <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(wake, nanos);
            } catch (InterruptedException e) {
                running = false;   // only close() interrupts this thread
            }
        }
    }

    /** Sends what waits until the close timeout, or until a send fails at once; logs what is left. */
    private void sendWhatIsLeft() {
        List<Signal> left = pending.drain();
        if (producer == null && !left.isEmpty()) {
            producer = create();   // stopped before it had one: a person's last unblock still deserves a try
        }
        List<Signal> dropped = new ArrayList<>();
        boolean reachable = producer != null;
        for (Signal signal : left) {
            if (pending.stale(signal, clock.instant())) {
                continue;
            }
            if (reachable && timeLeft().isZero()) {
                reachable = false;
            }
            if (!reachable || !send(signal)) {
                reachable = false;
                dropped.add(signal);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.warn("{} signal(s) did not reach the control topic {} before close: {}", dropped.size(), topic,
                    describe(dropped));
        }
    }

    /**
     * Whether the producer took {@code signal} and did not fail it at once. The producer hands most failures to the
     * callback rather than throwing ({@code max.block.ms} passed with no metadata, for one), on this thread when it
     * is at once. A failed signal may wait again.
     */
    private boolean send(Signal signal) {
        Thread sender = Thread.currentThread();
        AtomicBoolean failedAtOnce = new AtomicBoolean();
        try {
            producer.send(new ProducerRecord<>(topic, SignalCodec.key(signal), SignalCodec.value(signal)),
                    (metadata, e) -> {
                        if (e == null) {
                            pending.sent(signal);
                            return;
                        }
                        if (Thread.currentThread() == sender) {
                            failedAtOnce.set(true);
                        }
                        failed(signal, e);
                    });
        } catch (RuntimeException e) {   // interrupted by close(), a closed producer, ...
            failedAtOnce.set(true);
            failed(signal, e);
        }
        return !failedAtOnce.get();
    }

    private void failed(Signal signal, Exception e) {
        boolean again = running && pending.failed(signal, clock.instant(), System.nanoTime());
        warn("send", "a " + signal.what() + " signal for " + signal.host() + " did not reach the control topic "
                + topic + " (" + e + "); "
                + (again ? "it is sent again later" : "the other instances go on without it"));
        if (again) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private Duration timeLeft() {
        if (running) {
            return closeTimeout;
        }
        long left = stoppedAt + closeTimeout.toNanos() - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    private static String describe(List<Signal> signals) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < signals.size() && i < 10; i++) {
            text.append(i == 0 ? "" : ", ").append(signals.get(i).what()).append(' ').append(signals.get(i).host());
        }
        return signals.size() > 10 ? text + " and " + (signals.size() - 10) + " more" : text.toString();
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + ": " + root;
    }

    private void warn(String kind, String message) {
        long unlogged = log.permit(kind, System.nanoTime());
        if (unlogged >= 0) {
            LOG.warn("{}{}", message, unlogged > 0 ? " (" + unlogged + " more like it since the last such line)" : "");
        }
    }
}
