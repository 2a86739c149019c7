package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The operators' rule for a blocked client, "stop, talk to us, then resume", done by a person without code: the
 * policy registered as an MXBean, read and driven through the JVM's platform MBean server as jconsole, jmxterm or
 * Jolokia would. The latch closes after 3 consecutive 403s here.
 */
class OperatorMBeanEndToEndTest {
    private static final String NAME = "operator-test";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ProtectionEvents events = new ProtectionEvents();
    private WireMockOrigin origin;
    private String host;

    @BeforeEach
    void startAnOriginThatForbidsEverything() {
        origin = WireMockOrigin.start();
        host = "127.0.0.1:" + origin.port();
        origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(aResponse().withStatus(403)));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @Test
    void aPersonSeesTheBlockedHostWithItsReasonAndUnblocksItThroughThePlatformMBeanServer() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().forbiddenRetries(0).forbiddenLatch(3, 0.9, 50)
                .protectionListener(events).build();
        ObjectName name = new ObjectName("dev.resilienthttp:type=RetryPolicy,name=" + ObjectName.quote(NAME));
        try (ResilientHttpClient client = Clients.resilient(policy).build();
             RetryPolicyMXBean.Registration registration = policy.registerMBean(NAME)) {
            assertThat(server.isRegistered(name)).as("registered: " + registration).isTrue();
            for (int i = 0; i < 3; i++) {
                assertThat(kindOf(client, "/articles/" + i)).isEqualTo(FailureKind.FORBIDDEN);
            }
            assertThat(kindOf(client, "/articles/next")).isEqualTo(FailureKind.BLOCKED);

            String[] blocked = (String[]) server.getAttribute(name, "BlockedHosts");
            assertThat(blocked).hasSize(1);
            assertThat(blocked[0]).startsWith(host + " since 20").contains("403");
            assertThat((String[]) server.getAttribute(name, "CircuitStates")).containsExactly(host + " CLOSED");

            origin.server().stubFor(get(urlPathMatching("/articles/.*")).willReturn(ok("fine")));
            Object lifted = server.invoke(name, "unblock", new Object[] {host}, new String[] {String.class.getName()});

            assertThat(lifted).isEqualTo(true);
            assertThat(events.count("unblocked " + host)).isEqualTo(1);
            assertThat((String[]) server.getAttribute(name, "BlockedHosts")).isEmpty();
            assertThat(client.send(HttpRequest.newBuilder(origin.uri("/articles/after")).build(),
                    BodyHandlers.ofString()).statusCode()).as("the next call goes through").isEqualTo(200);
            assertThat(server.invoke(name, "unblock", new Object[] {host}, new String[] {String.class.getName()}))
                    .as("nothing left to lift").isEqualTo(false);
        }
        assertThat(server.isRegistered(name)).as("closing the registration unregisters it").isFalse();
    }

    @Test
    void twoPoliciesUnderOneNameAreRefusedWithAMessageThatSaysSoAndClosingFreesTheName() {
        RetryPolicyMXBean.Registration first = RetryPolicy.standard().registerMBean(NAME);
        try {
            assertThatThrownBy(() -> RetryPolicy.standard().registerMBean(NAME))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is registered already");
        } finally {
            first.close();
        }
        first.close();   // twice: nothing
        RetryPolicy.standard().registerMBean(NAME).close();
    }

    private FailureKind kindOf(ResilientHttpClient client, String path) {
        Throwable thrown = catchThrowable(() -> client.send(HttpRequest.newBuilder(origin.uri(path)).build(),
                BodyHandlers.ofString()));
        assertThat(thrown).isInstanceOf(HttpFailureException.class);
        return ((HttpFailureException) thrown).kind();
    }
}
