package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetLink;
import dev.resilienthttp.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A running fleet member: the policy linked to a {@link Channel}, the reader and the publisher on daemon threads of
 * their own. Starting it waits on nothing: the Kafka clients connect from their own threads.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");

    private final FleetSettings settings;
    private final FleetLink link;
    private final ControlReader reader;
    private final ControlPublisher publisher;
    private final Thread readerThread;
    private final Thread publisherThread;

    private Fleet(FleetSettings settings, RetryPolicy policy) {
        this.settings = settings;
        RateLimitedLog log = new RateLimitedLog(settings.logInterval().toNanos());
        Outbound outbound = new Outbound();
        this.publisher = new ControlPublisher(settings.producer(), settings.topic(), settings.queueCapacity(), log,
                settings.closeTimeout());
        FleetLink linked = null;
        try {
            linked = policy.link(new Channel(settings.instance(), settings.latchExpiry(), outbound, publisher,
                    settings.clock()));
            this.reader = new ControlReader(settings.consumer(), settings.topic(),
                    new Inbound(settings.instance(), settings.blockQuorum(), settings.holdQuorum()), outbound,
                    linked, settings.clock(), log);
        } catch (RuntimeException e) {   // already linked, or a bad Kafka configuration
            if (linked != null) {
                linked.close();
            }
            publisher.stop();
            publisher.run();   // closes its producer at once: nothing was queued
            throw e;
        }
        this.link = linked;
        this.readerThread = daemon(reader, "resilient-http-fleet-reader-" + settings.instance());
        this.publisherThread = daemon(publisher, "resilient-http-fleet-publisher-" + settings.instance());
    }

    /** Links {@code policy} to the control topic and starts reading and publishing. */
    public static Fleet start(FleetSettings settings, RetryPolicy policy) {
        Fleet fleet = new Fleet(settings, policy);
        fleet.readerThread.start();
        fleet.publisherThread.start();
        LOG.info("instance {} joined the fleet on {} (BLOCKED from {} instance(s), HOLD from {})",
                settings.instance(), settings.topic(), settings.blockQuorum(), settings.holdQuorum());
        return fleet;
    }

    /** This instance's id. */
    public String instance() {
        return settings.instance();
    }

    /**
     * Unlinks the policy, sends what is queued, and stops both threads, each within about
     * {@code closeTimeout}. The policy keeps what it was told.
     */
    @Override
    public void close() {
        link.close();
        reader.stop();
        publisher.stop();
        join(publisherThread);
        join(readerThread);
    }

    private void join(Thread thread) {
        try {
            thread.join(settings.closeTimeout().plus(Duration.ofSeconds(5)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {}", thread.getName(), settings.closeTimeout());
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
