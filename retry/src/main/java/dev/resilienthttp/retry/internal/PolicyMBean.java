package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.Durations;
import dev.resilienthttp.retry.RetryPolicyMXBean;
import dev.resilienthttp.retry.RetryPolicyMXBean.Registration;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A policy's protections as an MXBean, and its registration in the platform MBean server. */
public final class PolicyMBean implements RetryPolicyMXBean {
    private final Protections protections;

    private PolicyMBean(Protections protections) {
        this.protections = protections;
    }

    /**
     * Registers {@code protections} as {@code dev.resilienthttp:type=RetryPolicy,name=<name>}.
     *
     * @return what unregisters it
     * @throws IllegalStateException if that name is registered already
     */
    public static Registration register(Protections protections, String name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName objectName;
        try {
            objectName = new ObjectName("dev.resilienthttp:type=RetryPolicy,name=" + ObjectName.quote(name));
            server.registerMBean(new StandardMBean(new PolicyMBean(protections), RetryPolicyMXBean.class, true),
                    objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean named \"" + name + "\" is registered already: give each "
                    + "policy its own name", e);
        } catch (MalformedObjectNameException | MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new IllegalStateException("cannot register the policy's MBean as \"" + name + "\"", e);
        }
        return new Unregistration(server, objectName, name);
    }

    /**
     * Unregisters its own registration once. Not by name alone: once closed, the name may be another policy's, and
     * a second close must not unregister that one.
     */
    private static final class Unregistration implements Registration {
        private final MBeanServer server;
        private final ObjectName objectName;
        private final String name;
        private final AtomicBoolean closed = new AtomicBoolean();

        Unregistration(MBeanServer server, ObjectName objectName, String name) {
            this.server = server;
            this.objectName = objectName;
            this.name = name;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                server.unregisterMBean(objectName);
            } catch (InstanceNotFoundException e) {
                // unregistered by someone else (through the MBean server): nothing of ours is left
            } catch (MBeanRegistrationException e) {
                throw new IllegalStateException("cannot unregister the policy's MBean \"" + name + "\"", e);
            }
        }

        @Override
        public String toString() {
            return objectName.toString();
        }
    }

    @Override
    public List<String> getBlockedHosts() {
        List<String> hosts = new ArrayList<>();
        new TreeMap<>(protections.blockedDetails()).forEach((host, why) -> hosts.add(host + " " + why));
        return hosts;
    }

    @Override
    public List<String> getHeldHosts() {
        List<String> hosts = new ArrayList<>();
        new TreeMap<>(protections.heldHosts()).forEach((host, left) -> hosts.add(host + " for "
                + Durations.seconds(left)));
        return hosts;
    }

    @Override
    public List<String> getCircuitStates() {
        List<String> hosts = new ArrayList<>();
        new TreeMap<>(protections.circuitStates()).forEach((host, state) -> hosts.add(host + " " + state));
        return hosts;
    }

    @Override
    public boolean unblock(String host) {
        return protections.unblock(host);
    }
}
