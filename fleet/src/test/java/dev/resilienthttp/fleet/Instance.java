package dev.resilienthttp.fleet;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.retry.ProtectionListener;
import dev.resilienthttp.retry.RetryPolicy;
import dev.resilienthttp.retry.RetryPolicyBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * One instance of the service as these tests run it: its own policy (standard, with backoff steps of 5 to 50 ms),
 * its own client, optionally in the fleet, and a listener that records what its protections did, and when.
 */
final class Instance implements AutoCloseable {
    static final String USER_AGENT = "fleet-tests/1.0 (ops@example.org)";

    /** What the protection listener heard: {@code event} is e.g. {@code hostBlockedRemotely}. */
    record Heard(String event, String host, String detail, long nanoTime) {
    }

    final String name;
    final RetryPolicy policy;
    final ResilientHttpClient client;
    final List<Heard> heard = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstHeard = new ConcurrentHashMap<>();
    private FleetSignals fleet;

    private Instance(String name, UnaryOperator<RetryPolicyBuilder> configure) {
        this.name = name;
        this.policy = configure.apply(RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(50))
                .protectionListener(new Recorder())).build();
        this.client = ResilientHttpClient.builder().userAgent(USER_AGENT).preferHttp1().retry(policy).build();
    }

    /** An instance on its own. */
    static Instance alone(String name) {
        return new Instance(name, UnaryOperator.identity());
    }

    /** An instance in the fleet of {@code topic}. */
    static Instance inFleet(String name, String bootstrapServers, String topic) {
        return inFleet(name, bootstrapServers, topic, UnaryOperator.identity(), fleet -> fleet.instanceId(name));
    }

    /**
     * An instance in the fleet of {@code topic}, its policy and its fleet configured further by {@code policy} and
     * {@code fleet} (the fleet's instance id is not set unless {@code fleet} sets it).
     */
    static Instance inFleet(String name, String bootstrapServers, String topic,
                            UnaryOperator<RetryPolicyBuilder> policy, UnaryOperator<FleetSignalsBuilder> fleet) {
        Instance instance = new Instance(name, policy);
        instance.fleet = fleet.apply(FleetSignals.builder().bootstrapServers(bootstrapServers).topic(topic))
                .start(instance.policy);
        return instance;
    }

    /** The id of this instance's fleet member. */
    String instanceId() {
        return fleet.instanceId();
    }

    /** One GET to {@code uri}: its status, or the failure's report. */
    Outcome call(URI uri) throws InterruptedException {
        long start = System.nanoTime();
        try {
            return new Outcome(send(uri), null, System.nanoTime() - start);
        } catch (HttpFailureException e) {
            return new Outcome(0, e.report(), System.nanoTime() - start);
        }
    }

    /** {@link #call}'s status (0 for a failure), for a condition polled by {@code Await}. */
    int status(URI uri) {
        try {
            return call(uri).status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One GET to {@code uri}, as a handler makes it: its status, or the failure thrown. */
    int send(URI uri) throws HttpFailureException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).header(LoopbackOrigin.INSTANCE_HEADER, name)
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpFailureException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("send throws no other IOException", e);
        }
    }

    /** A call's end. */
    record Outcome(int status, FailureReport failure, long tookNanos) {
        boolean refusedBlocked() {
            return failure != null && failure.kind() == FailureKind.BLOCKED;
        }

        Duration took() {
            return Duration.ofNanos(tookNanos);
        }
    }

    /** When the listener first heard {@code event} for {@code host} (System.nanoTime), if it did. */
    Optional<Long> heardAt(String event, String host) {
        return Optional.ofNullable(firstHeard.get(event + " " + host));
    }

    boolean heard(String event, String host) {
        return firstHeard.containsKey(event + " " + host);
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        client.close();
    }

    private final class Recorder implements ProtectionListener {
        private void hear(String event, String host, String detail) {
            long now = System.nanoTime();
            heard.add(new Heard(event, host, detail, now));
            firstHeard.putIfAbsent(event + " " + host, now);
        }

        @Override
        public void hostHeld(String host, Duration wait) {
            hear("hostHeld", host, wait.toString());
        }

        @Override
        public void hostBlocked(String host, String reason) {
            hear("hostBlocked", host, reason);
        }

        @Override
        public void hostUnblocked(String host) {
            hear("hostUnblocked", host, "");
        }

        @Override
        public void hostHeldRemotely(String host, Duration wait) {
            hear("hostHeldRemotely", host, wait.toString());
        }

        @Override
        public void hostBlockedRemotely(String host, String reason) {
            hear("hostBlockedRemotely", host, reason);
        }

        @Override
        public void hostUnblockedRemotely(String host) {
            hear("hostUnblockedRemotely", host, "");
        }
    }
}
