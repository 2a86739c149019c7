package dev.resilienthttp.testkit;

import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The leak check fails a test that leaves a connection, a JDK client thread, a Toxiproxy server or a proxy open, and
 * names it; it passes the same test when it closes what it opened. The tests that leak are {@link LeakFixtures}'
 * classes, run through the JUnit Platform's {@code EngineTestKit}; a leaking one waits {@link #LEAK_WAIT} before it
 * fails, a clean one the check's default, so that a slow close on a busy machine does not fail it.
 */
@CheckLeaks
class LeakCheckTest {
    private static final Duration LEAK_WAIT = Duration.ofSeconds(1);

    private ServerSocket listening;
    private ScriptedHttpServer origin;

    /** What the fixtures connect to: open before they run, so that it is not theirs. */
    @BeforeEach
    void openWhatTheFixturesConnectTo() throws IOException {
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LeakFixtures.listeningPort = listening.getLocalPort();
        origin = ScriptedHttpServer.start();
        LeakFixtures.origin = origin.uri("/");
    }

    @AfterEach
    void closeWhatTheFixturesLeftOpenAndWhatTheyConnectedTo() throws Exception {
        try {
            LeakFixtures.closeLeftOpen();
        } finally {
            origin.close();
            listening.close();
        }
    }

    private static Events run(Class<?> fixture, Duration wait) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(LeakFixtures.RUN_PARAMETER, "true")
                .configurationParameter(LeakCheck.WAIT_PARAMETER, wait.toString()).execute().testEvents();
    }

    /** The one test of {@code fixture} fails; returns what it failed with. */
    private static Throwable failure(Class<?> fixture) {
        Events tests = run(fixture, LEAK_WAIT);
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        return tests.failed().stream().findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow();
    }

    private static void passes(Class<?> fixture) {
        run(fixture, LeakCheck.DEFAULT_WAIT).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aTestThatLeavesAConnectionOpenFailsNamingTheSocketAndTheCounts() {
        assumeTrue(OpenSockets.countable(), "sockets are read from /proc, which this OS lacks");
        int before = OpenSockets.count();

        Throwable failure = failure(LeakFixtures.LeavesASocketOpen.class);

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not within " + LEAK_WAIT)
                .hasMessageContaining("1 socket(s) opened during the test still open (the process had " + before
                        + " open before it, " + (before + 1) + " now)")
                .hasMessageMatching("(?s).*127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + listening.getLocalPort()
                        + " ESTABLISHED.*");
    }

    @Test
    void aTestThatClosesItsConnectionPasses() {
        passes(LeakFixtures.ClosesItsSocket.class);
    }

    @Test
    void aTestThatLeavesItsClientOpenFailsNamingTheJdkClientThreadAndItsConnection() {
        Throwable failure = failure(LeakFixtures.LeavesItsClientOpen.class);

        assertThat(failure).hasMessageMatching("(?s).*JDK client thread\\(s\\) started during the test still"
                + " running: .*HttpClient-\\d+-SelectorManager.*");
        if (OpenSockets.countable()) {
            assertThat(failure).hasMessageContaining("-> 127.0.0.1:" + origin.port() + " ESTABLISHED");
        }
    }

    @Test
    void aTestThatClosesItsClientPassesOnThisJdk() {
        passes(LeakFixtures.ClosesItsClient.class);

        assertThat(origin.requestCount()).as("the fixture's call reached the origin").isEqualTo(1);
    }

    @Test
    void aTestThatClosesARawJdkClientOrOnJdk17DropsItPasses() {
        passes(LeakFixtures.ClosesItsRawJdkClient.class);

        assertThat(origin.requestCount()).as("the fixture's call reached the origin").isEqualTo(1);
    }

    @Test
    void aTestThatLeavesAToxiproxyServerRunningFailsNamingItAndItsProxy() {
        Throwable failure = failure(LeakFixtures.LeavesAToxiproxyServerRunning.class);

        assertThat(failure).hasMessageMatching("(?s).*ToxiproxyServer http://127\\.0\\.0\\.1:\\d+ not closed,"
                + " proxies \\[forgotten].*");
        if (OpenSockets.countable()) {
            assertThat(failure).as("the API's and the proxy's listening sockets")
                    .hasMessageContaining("2 socket(s) opened during the test still open")
                    .hasMessageContaining(" LISTEN");
        }
    }

    @Test
    void aTestThatClosesItsToxiproxyServerPasses() {
        passes(LeakFixtures.ClosesItsToxiproxyServer.class);
    }

    @Test
    void aProxyTheToxiproxyExtensionDeletesAfterTheTestIsNoLeakWhenTheCheckIsDeclaredFirst() {
        assumeTrue(System.getenv("TOXIPROXY_URL") == null, "the proxy of a real Toxiproxy is not seen");
        passes(LeakFixtures.LeavesItsProxyToTheExtensionCheckedAfterIt.class);
    }

    @Test
    void aProxyIsReportedWhenTheCheckIsDeclaredAfterTheToxiproxyExtensionThatWouldDeleteIt() {
        assumeTrue(System.getenv("TOXIPROXY_URL") == null, "the proxy of a real Toxiproxy is not seen");
        Throwable failure = failure(LeakFixtures.LeavesItsProxyToTheExtensionCheckedBeforeIt.class);

        assertThat(failure).hasMessageMatching("(?s).*proxy payments on ToxiproxyServer http://127\\.0\\.0\\.1:\\d+"
                + " not deleted.*");
    }

    @Test
    void aWaitThatIsNoDurationIsAConfigurationError() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakFixtures.ClosesItsSocket.class))
                .configurationParameter(LeakFixtures.RUN_PARAMETER, "true")
                .configurationParameter(LeakCheck.WAIT_PARAMETER, "10 seconds").execute().testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(tests.failed().stream().findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow())
                .hasMessageContaining("ISO-8601 duration such as PT30S, not 10 seconds");
    }
}
