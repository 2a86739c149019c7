package dev.resilienthttp.fleet.internal;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The thread that writes this instance's signals. A call's thread only puts a signal in a bounded queue and goes on
 * ({@link #offer} never waits); this thread hands it to the producer, whose own waits ({@code max.block.ms}, its
 * buffer) are bounded and fall on this thread alone. When the queue is full, because the broker has been away for a
 * while, a signal is dropped and that is logged once per interval: the instance then behaves as it would alone.
 */
final class ControlPublisher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final BlockingQueue<Signal> queue;
    private final RateLimitedLog log;
    private final Duration closeTimeout;
    private volatile boolean running = true;

    ControlPublisher(Map<String, Object> config, String topic, int queueCapacity, RateLimitedLog log,
                     Duration closeTimeout) {
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.log = log;
        this.closeTimeout = closeTimeout;
    }

    /** Queues {@code signal} for the topic; never waits. */
    void offer(Signal signal) {
        if (!queue.offer(signal)) {
            warn("queue full", "a " + signal.what() + " signal for " + signal.host() + " was dropped: "
                    + queue.size() + " signals wait for the control topic " + topic + " already");
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                Signal signal;
                try {
                    signal = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;   // close(): send what is queued, then stop
                }
                if (signal != null) {
                    send(signal);
                }
            }
            List<Signal> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(this::send);   // a person's unblock just before a shutdown still reaches the fleet
        } finally {
            producer.close(closeTimeout);
        }
    }

    /** Stops the loop after what is queued; the caller then joins the thread. */
    void stop() {
        running = false;
    }

    private void send(Signal signal) {
        try {
            producer.send(new ProducerRecord<>(topic, SignalCodec.key(signal), SignalCodec.value(signal)),
                    (metadata, e) -> {
                        if (e != null) {
                            warn("send", "a " + signal.what() + " signal for " + signal.host() + " did not reach "
                                    + "the control topic " + topic + " (" + e + "); the other instances go on "
                                    + "without it");
                        }
                    });
        } catch (RuntimeException e) {
            warn("send", "a " + signal.what() + " signal for " + signal.host() + " was not sent (" + e + ")");
        }
    }

    private void warn(String kind, String message) {
        long unlogged = log.permit(kind, System.nanoTime());
        if (unlogged >= 0) {
            LOG.warn("{}{}", message, unlogged > 0 ? " (" + unlogged + " more like it since the last such line)" : "");
        }
    }
}
