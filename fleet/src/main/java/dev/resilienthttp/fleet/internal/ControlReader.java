package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetLink;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that reads the whole control topic, from its beginning, and applies what it says to this instance's
 * policy. No consumer group: it assigns itself every partition, so that every instance reads every record and no
 * offset is ever committed. What was written before it started is folded first (only each host's last word is
 * applied), then each record is applied as it comes. Everything that goes wrong is caught inside the loop, logged
 * once per kind per interval, and the loop goes on: an unreachable topic leaves the policy exactly as it is alone.
 */
final class ControlReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
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
                  Clock clock, RateLimitedLog log) {
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.inbound = inbound;
        this.outbound = outbound;
        this.link = link;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    turn();
                } catch (WakeupException stopping) {
                    // close() asked the loop to look at running
                } catch (RuntimeException e) {   // broker gone, topic deleted, ...: alone until it returns
                    if (running) {
                        warn("read", "cannot read the control topic " + topic + " (" + e + "); this instance goes "
                                + "on alone and tries again");
                        LockSupport.parkNanos(BACKOFF_NANOS);
                    }
                }
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Stops the loop and releases the consumer; the caller then joins the thread. */
    void stop() {
        running = false;
        consumer.wakeup();
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
            LockSupport.parkNanos(BACKOFF_NANOS);
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
            signal = SignalCodec.decode(record.key(), record.value());
        } catch (SignalCodec.BadSignal bad) {
            warn(bad.kind(), "a record of the control topic " + topic + " at " + record.partition() + "/"
                    + record.offset() + " changes nothing: " + bad.kind() + ", " + bad.getMessage()
                    + " (a peer of another version or misconfigured?)");
            return;
        }
        outbound.seen(signal);
        if (signal.expired(clock.instant())) {
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

    private void apply(Inbound.Action action) {
        try {
            if (action instanceof Inbound.Block) {
                link.block(action.host(), ((Inbound.Block) action).reason());
            } else if (action instanceof Inbound.Hold) {
                link.hold(action.host(), ((Inbound.Hold) action).until());
            } else {
                link.lift(action.host(), ((Inbound.Lift) action).reason());
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
