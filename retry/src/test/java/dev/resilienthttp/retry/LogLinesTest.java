package dev.resilienthttp.retry;

import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a service's log shows with the usual backend at its usual level (INFO; here slf4j-simple, which writes to
 * {@code System.err}, read while each call runs): attempts that recover are no INFO noise, and a call that fails is
 * one line at most, at the level the user chose (the caller gets the failure as an exception either way).
 */
class LogLinesTest {
    private WireMockOrigin origin;
    private PrintStream realErr;

    @BeforeEach
    void startOrigin() {
        origin = WireMockOrigin.start();
        origin.server().stubFor(get(urlPathEqualTo("/recovers")).inScenario("two 503s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("one more"));
        origin.server().stubFor(get(urlPathEqualTo("/recovers")).inScenario("two 503s").whenScenarioStateIs("one more")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("fine"));
        origin.server().stubFor(get(urlPathEqualTo("/recovers")).inScenario("two 503s").whenScenarioStateIs("fine")
                .willReturn(ok("fine")));
        origin.server().stubFor(get(urlPathEqualTo("/gone")).willReturn(aResponse().withStatus(404)));
        realErr = System.err;
    }

    @AfterEach
    void stopOrigin() {
        System.setErr(realErr);
        origin.close();
    }

    @Test
    void attemptsThatRecoverLogNothingAtInfo() throws Exception {
        try (ResilientHttpClient client = client(Level.WARN)) {
            List<String> lines = logDuring(() -> client.send(request("/recovers"), BodyHandlers.ofString())
                    .statusCode());

            assertThat(origin.requests()).hasSize(3);
            assertThat(lines).as("lines about /recovers").isEmpty();
        }
    }

    @Test
    void aFailedCallLogsNothingByDefaultAndOneLineAtTheLevelTheUserSets() throws Exception {
        try (ResilientHttpClient quiet = Clients.resilient(policy()).build();
             ResilientHttpClient loud = client(Level.WARN)) {
            List<String> byDefault = logDuring(() -> failed(quiet));
            List<String> atWarn = logDuring(() -> failed(loud));

            assertThat(byDefault).as("the caller has the exception").isEmpty();
            assertThat(atWarn).hasSize(1);
            assertThat(atWarn.get(0)).contains("WARN").contains("call failed: CLIENT_ERROR after 1 attempt");
        }
    }

    private Object failed(ResilientHttpClient client) {
        assertThatThrownBy(() -> client.send(request("/gone"), BodyHandlers.ofString()))
                .isInstanceOf(HttpFailureException.class);
        return null;
    }

    /** The log lines about this test's paths written while {@code call} ran. */
    private List<String> logDuring(Callable<?> call) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.call();
        } finally {
            System.setErr(realErr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("/recovers") || line.contains("/gone")).toList();
    }

    private ResilientHttpClient client(Level failureLogLevel) {
        return Clients.resilient(policy()).failureLogLevel(failureLogLevel).build();
    }

    private static RetryPolicy policy() {
        return RetryPolicy.builder().backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(20)).build();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(origin.uri(path)).GET().build();
    }
}
