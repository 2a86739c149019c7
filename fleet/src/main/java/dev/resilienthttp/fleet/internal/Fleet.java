package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.retry.FleetLink;
import dev.resilienthttp.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A running fleet member: the policy linked to a {@link Channel}, the reader and the publisher on daemon threads of
 * their own. Starting it waits on nothing and fails on nothing Kafka does: each thread creates its Kafka client
 * itself, and tries again while that fails.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.resilienthttp.fleet.FleetSignals");
    /** What a thread gets beyond the close timeout to finish, before it is interrupted, and after. */
    private static final Duration GRACE = Duration.ofSeconds(1);

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
        this.publisher = new ControlPublisher(settings.producer(), settings.topic(), log, settings.closeTimeout(),
                settings.clock(), outbound::superseded);
        this.link = policy.link(new Channel(settings.instance(), settings.run(), settings.latchExpiry(), outbound,
                publisher, host -> policy.blockedHosts().contains(host), settings.clock()));
        this.reader = new ControlReader(settings.consumer(), settings.topic(),
                new Inbound(settings.run(), settings.blockQuorum(), settings.holdQuorum()), outbound, link,
                settings.clock(), log, settings.closeTimeout());
        this.readerThread = daemon(reader, "resilient-http-fleet-reader-" + settings.instance());
        this.publisherThread = daemon(publisher, "resilient-http-fleet-publisher-" + settings.instance());
    }

    /**
     * Links {@code policy} to the control topic and starts reading and publishing.
     *
     * @throws IllegalStateException if the policy is linked to a fleet already
     */
    public static Fleet start(FleetSettings settings, RetryPolicy policy) {
        Fleet fleet = new Fleet(settings, policy);
        fleet.readerThread.start();
        fleet.publisherThread.start();
        LOG.info("instance {} (run {}) joined the fleet on {} (BLOCKED from {} instance(s), HOLD from {})",
                settings.instance(), settings.run(), settings.topic(), settings.blockQuorum(), settings.holdQuorum());
        return fleet;
    }

    /** This instance's id. */
    public String instance() {
        return settings.instance();
    }

    /**
     * Unlinks the policy, sends what waits, and stops both threads, within about {@code closeTimeout}: a thread
     * still busy then (a send waiting on a broker that never answers) is interrupted. The policy keeps what it was
     * told.
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
            thread.join(settings.closeTimeout().plus(GRACE).toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {}", thread.getName(), settings.closeTimeout().plus(GRACE));
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
