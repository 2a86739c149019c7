package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetLink;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread that reads the whole control topic, from its beginning, and applies what it says to this instance's
 * policy. No consumer group: it assigns itself every partition, so that every instance reads every record and no
 * offset is ever committed. What was written before it started is folded first (only each host's last word is
 * applied), then each record is applied as it comes. Everything that goes wrong is caught inside the loop, logged
 * once per kind per interval, and the loop goes on: an unreachable topic leaves the policy exactly as it is alone.
 * The consumer itself is created on this thread, again and again with a backoff while that fails (bootstrap names
 * that do not resolve yet), so that starting waits on nothing and fails on nothing.
 */
final class ControlReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Between attempts to create the consumer: 1 s, doubling up to 30 s. */
    private static final Duration FIRST_CREATE_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_CREATE_BACKOFF = Duration.ofSeconds(30);

    private final Map<String, Object> config;
    private final Duration closeTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Created on this thread; read by stop() to wake it. */
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Inbound inbound;
    private final Outbound outbound;
    private final FleetLink link;
    private final Clock clock;
    private final RateLimitedLog log;
    private volatile boolean running = true;
    /** Per partition, the end offset at assignment while the history before it is still being read. */
    private Map<TopicPartition, Long> catchingUp;
    private final Map<String, Inbound.Action> folded = new LinkedHashMap<>();

    ControlReader(Map<String, Object> config, String topic, Inbound inbound, Outbound outbound, FleetLink link,
                  Clock clock, RateLimitedLog log, Duration closeTimeout) {
        this.config = config;
        this.closeTimeout = closeTimeout;
        this.topic = topic;
        this.inbound = inbound;
        this.outbound = outbound;
        this.link = link;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void run() {
        Duration backoff = FIRST_CREATE_BACKOFF;
        try {
            while (running) {
                if (consumer == null) {
                    consumer = create();
                    if (consumer == null) {
                        pause(backoff.toNanos());
                        backoff = backoff.multipliedBy(2).compareTo(MAX_CREATE_BACKOFF) > 0 ? MAX_CREATE_BACKOFF
                                : backoff.multipliedBy(2);
                    }
                    continue;   // look at running again: stop() may have found no consumer to wake
                }
                try {
                    turn();
                } catch (WakeupException stopping) {
                    // close() asked the loop to look at running
                } catch (RuntimeException e) {   // broker gone, topic deleted, ...: alone until it returns
                    if (running) {
                        warn("read", "cannot read the control topic " + topic + " (" + e + "); this instance goes "
                                + "on alone and tries again");
                        pause(BACKOFF_NANOS);
                    }
                }
            }
        } finally {
            Thread.interrupted();   // an interrupt from close() has done its work: the consumer must close cleanly
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(closeTimeout));
                } catch (RuntimeException e) {
                    LOG.warn("the consumer of the control topic {} did not close cleanly: {}", topic, e.toString());
                }
            }
        }
    }

    /** Stops the loop and releases the consumer; the caller then joins the thread. */
    void stop() {
        running = false;
        stopped.countDown();
        KafkaConsumer<byte[], byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
    }

    private KafkaConsumer<byte[], byte[]> create() {
        try {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {   // "No resolvable bootstrap urls" while the DNS does not know Kafka yet, ...
            warn("create consumer", "cannot create the consumer of the control topic " + topic + " (" + e
                    + (e.getCause() == null ? "" : ": " + e.getCause()) + "); this instance goes on alone and tries "
                    + "again");
            return null;
        }
    }

    /** Waits {@code nanos}, or less if stop() comes. */
    private void pause(long nanos) {
        try {
            stopped.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            running = false;   // only close() interrupts this thread
        }
    }

    private void turn() {
        if (consumer.assignment().isEmpty()) {
            assign();
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            read(record);
        }
        if (catchingUp != null && caughtUp()) {
            catchingUp = null;
            folded.values().forEach(this::apply);
            folded.clear();
        }
    }

    private void assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_WAIT);
        if (infos == null || infos.isEmpty()) {
            warn("missing", "the control topic " + topic + " does not exist (create it, compacted: see the README); "
                    + "this instance goes on alone and looks again");
            pause(BACKOFF_NANOS);
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_WAIT);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchingUp = ends;
        LOG.info("reading the control topic {} ({} partitions) from its beginning", topic, partitions.size());
    }

    private boolean caughtUp() {
        for (Map.Entry<TopicPartition, Long> end : catchingUp.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        Signal signal;
        try {
            if (record.value() == null) {
                forget(SignalCodec.host(record.key()), record);
                return;
            }
            signal = SignalCodec.decode(record.key(), record.value());
        } catch (SignalCodec.BadSignal bad) {
            warn(bad.kind(), "a record of the control topic " + topic + " at " + record.partition() + "/"
                    + record.offset() + " changes nothing: " + bad.kind() + ", " + bad.getMessage()
                    + " (a peer of another version or misconfigured?)");
            return;
        }
        outbound.seen(signal);
        if (signal.what() != Signal.What.LIFT && signal.expired(clock.instant())) {
            if (catchingUp == null) {
                info("expired", "a " + signal.what() + " record for " + signal.host() + " from instance "
                        + signal.instance() + " at " + signal.at() + " changes nothing: it expired at "
                        + signal.expires());
            }
            return;
        }
        Optional<Inbound.Action> action = inbound.read(signal, clock.instant());
        if (action.isEmpty()) {
            return;
        }
        if (catchingUp != null) {
            folded.put(action.get().host() + " " + (action.get() instanceof Inbound.Hold ? "hold" : "latch"),
                    action.get());
        } else {
            apply(action.get());
        }
    }

    /**
     * A tombstone, which a person writes to delete a host's record: the topic has no word on the host. What was read
     * of it is forgotten, including what waits to be applied after the history; a latch already applied stays.
     */
    private void forget(String host, ConsumerRecord<byte[], byte[]> record) {
        inbound.forget(host);
        outbound.forget(host);
        folded.remove(host + " latch");
        folded.remove(host + " hold");
        LOG.debug("the record of {} was deleted (a tombstone at {}/{}): no word on it now", host, record.partition(),
                record.offset());
    }

    private void apply(Inbound.Action action) {
        try {
            if (action instanceof Inbound.Block) {
                Inbound.Block block = (Inbound.Block) action;
                link.block(block.host(), block.reason(), block.since());
            } else if (action instanceof Inbound.Hold) {
                link.hold(action.host(), ((Inbound.Hold) action).until());
            } else {
                Inbound.Lift lift = (Inbound.Lift) action;
                link.lift(lift.host(), lift.reason(), lift.at());
            }
        } catch (RuntimeException e) {   // a listener's bug must not stop the reader
            warn("apply", "could not apply " + action + ": " + e);
        }
    }

    private void warn(String kind, String message) {
        long unlogged = log.permit(kind, System.nanoTime());
        if (unlogged >= 0) {
            LOG.warn("{}{}", message, unlogged > 0 ? " (" + unlogged + " more like it since the last such line)" : "");
        }
    }

    private void info(String kind, String message) {
        long unlogged = log.permit(kind, System.nanoTime());
        if (unlogged >= 0) {
            LOG.info("{}{}", message, unlogged > 0 ? " (" + unlogged + " more like it since the last such line)" : "");
        }
    }
}
