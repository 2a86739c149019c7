package dev.resilienthttp.retry;

import java.util.List;

/**
 * What a {@link RetryPolicy} shows an operator, and the one thing it lets a person do, through the JVM's platform
 * MBean server ({@code jconsole}, {@code jmxterm}, Jolokia), once {@link RetryPolicy#registerMBean} registered it as
 * {@code dev.resilienthttp:type=RetryPolicy,name=<name>}.
 *
 * <p>The API operators' rule for a blocked client is "stop, talk to us, then resume". {@link #unblock} is the resume,
 * for the person who talked to them, without a deployment.
 */
public interface RetryPolicyMXBean {
    /** Each host the 403 latch holds BLOCKED, as {@code host:port since <instant>: <reason>}. */
    List<String> getBlockedHosts();

    /** Each host a {@code Retry-After} holds now, as {@code host:port for <seconds>}. */
    List<String> getHeldHosts();

    /** Each host with a circuit breaker, as {@code host:port <state>}. */
    List<String> getCircuitStates();

    /**
     * Lifts the 403 latch for {@code host} ({@code host:port}, as {@link #getBlockedHosts} names it), as
     * {@link RetryPolicy#unblock(String)} does: the protection listener hears {@code hostUnblocked}, and a
     * {@link RetryPolicy#link linked} fleet lifts it on every instance.
     *
     * @return whether the host was blocked
     */
    boolean unblock(String host);

    /** A registration in the platform MBean server; closing it unregisters the MBean. */
    interface Registration extends AutoCloseable {
        /** Unregisters the MBean; closing twice does nothing. */
        @Override
        void close();
    }
}
