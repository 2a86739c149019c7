package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.FailureReport;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.Outcome;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.ToxiproxyTest;
import dev.resilienthttp.testkit.Sending;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POSTs reset before any response byte, on 10 % of connections: the test kit's {@code reset_peer} toxic on the
 * upstream stream, at toxicity 0.1, between the client and WireMock. The toxic drops the request and resets the
 * connection, so the origin never sees a reset request: a keyed POST retried after a reset reaches it exactly once.
 * (A server that read the request before resetting, like {@code ScriptedHttpServer.resetBeforeResponse}, could
 * see a key twice; that is what the key is for, but it is not this scenario.)
 *
 * <p>Toxiproxy draws toxicity per connection, not per request, so the origin answers {@code Connection: close}:
 * every call then opens its own connection and meets its own draw. The response also says its
 * {@code Content-Length}: without one, Jetty would end the body by closing the connection, and once a
 * {@code reset_peer} toxic exists the proxy turns every close into an RST, which would cut every body.
 */
@ToxiproxyTest
class ResetBeforeResponseEndToEndTest {
    private static final RetryNumbers NUMBERS = new RetryNumbers();
    private static final String KEYED = "keyed POST reset before the response on 10 % of connections, 200 calls";
    private static final String UNKEYED = "unkeyed POST reset before the response on 10 % of connections, 200 calls";
    private static final int CALLS = 200;
    private static final String CREATED = "created";

    private WireMockOrigin origin;
    private URI orders;

    @BeforeEach
    void startOriginBehindAResettingProxy(ToxiproxyClient toxiproxy) throws IOException {
        origin = WireMockOrigin.start();
        origin.server().stubFor(post("/orders").willReturn(aResponse().withStatus(201)
                .withHeader("Connection", "close").withHeader("Content-Length", String.valueOf(CREATED.length()))
                .withBody(CREATED)));
        Proxy proxy = toxiproxy.createProxy("orders", "127.0.0.1:0", "127.0.0.1:" + origin.port());
        proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0).setToxicity(0.1f);
        orders = URI.create("http://" + proxy.getListen() + "/orders");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    private HttpRequest order(int call, boolean keyed) {
        String id = "order-" + call;
        HttpRequest request = HttpRequest.newBuilder(orders).header("X-Call-Id", id)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"order\":\"" + id + "\"}")).build();
        return keyed ? IdempotencyKeys.withKey(request, id) : request;
    }

    /** A short backoff keeps 200 calls with ~20 retries fast; see {@link Clients#shortBackoff}. */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void everyKeyedPostSucceedsAndTheOriginSeesEachKeyExactlyOnce(Sending sending) throws Exception {
        FailedAttempts failedAttempts = new FailedAttempts();
        List<String> failures = new ArrayList<>();
        int succeeded = 0;
        try (ResilientHttpClient client =
                     Clients.resilient(Clients.shortBackoff()).listener(failedAttempts).build()) {
            for (int call = 0; call < CALLS; call++) {
                try {
                    HttpResponse<String> response = sending.call(client, order(call, true), BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        succeeded++;
                    } else {
                        failures.add("call " + call + ": HTTP " + response.statusCode());
                    }
                } catch (HttpFailureException e) {
                    failures.add("call " + call + ": " + e.report().failReason());
                }
            }
        }
        NUMBERS.record(KEYED, "resilient-http " + sending, CALLS, succeeded, origin.duplicates("X-Call-Id"));

        assertThat(failedAttempts.total()).as("the proxy did reset connections").isPositive();
        assertThat(failures).isEmpty();
        assertThat(succeeded).isEqualTo(CALLS);
        assertThat(origin.timesSeen(IdempotencyKeys.HEADER)).hasSize(CALLS)
                .allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void unkeyedPostsAreNeverResentAndFailAsResetsThatMayHaveBeenProcessed(Sending sending) throws Exception {
        List<FailureReport> failures = new ArrayList<>();
        int succeeded = 0;
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            for (int call = 0; call < CALLS; call++) {
                try {
                    HttpResponse<String> response = sending.call(client, order(call, false), BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        succeeded++;
                    }
                } catch (HttpFailureException e) {
                    failures.add(e.report());
                }
            }
        }
        NUMBERS.record(UNKEYED, "resilient-http " + sending, CALLS, succeeded, origin.duplicates("X-Call-Id"));

        assertThat(failures).as("the proxy did reset connections").isNotEmpty();
        assertThat(failures).allSatisfy(report -> {
            assertThat(report.kind()).as(report.failReason())
                    .isIn(FailureKind.CONNECTION_RESET, FailureKind.STALE_CONNECTION);
            assertThat(report.outcome()).as(report.failReason()).isEqualTo(Outcome.MAYBE_PROCESSED);
            assertThat(report.attempts()).as(report.failReason()).isEqualTo(1);
        });
        assertThat(succeeded + failures.size()).isEqualTo(CALLS);
        assertThat(origin.duplicates("X-Call-Id")).as("request ids the origin saw twice").isZero();
        assertThat(origin.requests()).as("only the calls that succeeded reached the origin").hasSize(succeeded);
    }

    @Test
    void theRawJdkClientLosesPostsResetBeforeTheResponse() throws Exception {
        HttpClient raw = Clients.rawJdk();
        int succeeded = 0;
        try {
            for (int call = 0; call < CALLS; call++) {
                try {
                    HttpResponse<String> response = raw.send(order(call, true), BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        succeeded++;
                    }
                } catch (IOException e) {
                    // A lost call: counted below.
                }
            }
        } finally {
            Clients.close(raw);
        }
        NUMBERS.record(KEYED, "raw JDK", CALLS, succeeded, origin.duplicates("X-Call-Id"));

        assertThat(succeeded).as("without a fault the comparison proves nothing").isLessThan(CALLS);
    }
}
