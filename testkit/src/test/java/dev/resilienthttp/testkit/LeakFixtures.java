package dev.resilienthttp.testkit;

import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.ToxiproxyServer;
import dev.resilienthttp.faults.ToxiproxyTest;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test classes that {@link LeakCheckTest} runs through the JUnit Platform's {@code EngineTestKit}, some leaking on
 * purpose; anywhere else they are disabled ({@link Fixture}). What a test
 * leaves open goes to {@link #LEFT_OPEN}, which {@link LeakCheckTest} closes: so a leak stays reachable (a garbage
 * collection cannot close it) and nothing outlives the outer test.
 */
final class LeakFixtures {
    static final List<AutoCloseable> LEFT_OPEN = new CopyOnWriteArrayList<>();
    /** A listening socket the outer test opened, to connect to. */
    static volatile int listeningPort;
    /** An HTTP server the outer test started. */
    static volatile URI origin;

    private LeakFixtures() {
    }

    static void closeLeftOpen() throws Exception {
        List<AutoCloseable> open = new ArrayList<>(LEFT_OPEN);
        LEFT_OPEN.clear();
        for (AutoCloseable resource : open) {
            resource.close();
        }
    }

    /** The configuration parameter with which {@link LeakCheckTest} runs the fixtures. */
    static final String RUN_PARAMETER = "dev.resilienthttp.testkit.leak-fixtures";

    /** Disables a fixture unless {@link LeakCheckTest} runs it: Surefire or an IDE must not run it alone. */
    static final class OnlyWhenRunByLeakCheckTest implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by LeakCheckTest")
                    : ConditionEvaluationResult.disabled("a fixture of LeakCheckTest, some of it leaking on purpose");
        }
    }

    /** What every fixture class extends: the condition above. */
    @ExtendWith(OnlyWhenRunByLeakCheckTest.class)
    abstract static class Fixture {
    }

    private static Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), listeningPort);
    }

    private static ResilientHttpClient client() {
        return ResilientHttpClient.builder().userAgent("testkit-tests/1.0 (ops@example.org)").preferHttp1().build();
    }

    private static void call(ResilientHttpClient client) throws Exception {
        client.send(HttpRequest.newBuilder(origin).build(), BodyHandlers.ofString());
    }

    @CheckLeaks
    static class LeavesASocketOpen extends Fixture {
        @Test
        void connectsAndLeavesTheSocketOpen() throws IOException {
            LEFT_OPEN.add(connect());
        }
    }

    @CheckLeaks
    static class ClosesItsSocket extends Fixture {
        @Test
        void connectsAndClosesTheSocket() throws IOException {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(1);
            }
        }
    }

    @CheckLeaks
    static class LeavesItsClientOpen extends Fixture {
        @Test
        void callsAndLeavesTheClientOpen() throws Exception {
            ResilientHttpClient client = client();
            LEFT_OPEN.add(client);
            call(client);
        }
    }

    @CheckLeaks
    static class ClosesItsClient extends Fixture {
        @Test
        void callsAndClosesTheClient() throws Exception {
            try (ResilientHttpClient client = client()) {
                call(client);
            }
        }
    }

    /** A raw JDK client with its default executor: closed on JDK 21+; on 17, which has no close(), dropped. */
    @CheckLeaks
    static class ClosesItsRawJdkClient extends Fixture {
        @Test
        void callsAndClosesTheRawClient() throws Exception {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            client.send(HttpRequest.newBuilder(origin).build(), BodyHandlers.ofString());
            // HttpClient implements AutoCloseable from JDK 21 on; the check compiles against 17.
            if (client instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @CheckLeaks
    static class LeavesAToxiproxyServerRunning extends Fixture {
        @Test
        void startsAServerWithAProxyAndLeavesItRunning() throws IOException {
            ToxiproxyServer server = ToxiproxyServer.start();
            LEFT_OPEN.add(server);
            server.client().createProxy("forgotten", "127.0.0.1:0", "127.0.0.1:" + listeningPort);
        }
    }

    @CheckLeaks
    static class ClosesItsToxiproxyServer extends Fixture {
        @Test
        void startsAServerWithAProxyAndClosesIt() throws IOException {
            try (ToxiproxyServer server = ToxiproxyServer.start()) {
                server.client().createProxy("closed", "127.0.0.1:0", "127.0.0.1:" + listeningPort);
            }
        }
    }

    /** The check declared first: it runs after the Toxiproxy extension has deleted the test's proxies. */
    @CheckLeaks
    @ToxiproxyTest
    static class LeavesItsProxyToTheExtensionCheckedAfterIt extends Fixture {
        @Test
        void createsAProxyTheExtensionDeletes(ToxiproxyClient toxiproxy) throws IOException {
            toxiproxy.createProxy("payments", "127.0.0.1:0", "127.0.0.1:" + listeningPort);
        }
    }

    /** The check declared after the Toxiproxy extension: it runs before the extension deletes the proxy. */
    @ToxiproxyTest
    @CheckLeaks
    static class LeavesItsProxyToTheExtensionCheckedBeforeIt extends Fixture {
        @Test
        void createsAProxyTheExtensionDeletes(ToxiproxyClient toxiproxy) throws IOException {
            toxiproxy.createProxy("payments", "127.0.0.1:0", "127.0.0.1:" + listeningPort);
        }
    }
}
