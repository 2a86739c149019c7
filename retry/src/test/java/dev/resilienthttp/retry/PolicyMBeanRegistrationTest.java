package dev.resilienthttp.retry;

import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** A policy's MBean registration, as a service that replaces its policy under the same name uses it. */
class PolicyMBeanRegistrationTest {
    private static final String NAME = "registration-test";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void closingAnOldRegistrationAgainLeavesTheNewPolicyOfTheSameNameRegistered() throws Exception {
        ObjectName name = new ObjectName("dev.resilienthttp:type=RetryPolicy,name=" + ObjectName.quote(NAME));
        RetryPolicyMXBean.Registration old = RetryPolicy.builder().build().registerMBean(NAME);
        old.close();
        try (RetryPolicyMXBean.Registration replacement = RetryPolicy.builder().build().registerMBean(NAME)) {
            old.close();

            assertThat(server.isRegistered(name)).as("closing %s twice does nothing, to %s too", old, replacement)
                    .isTrue();
        }
        assertThat(server.isRegistered(name)).as("the new registration unregisters its own").isFalse();
    }
}
