package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.faults.LoopbackTls;
import dev.resilienthttp.faults.Await;
import dev.resilienthttp.faults.ToxiproxyTest;
import dev.resilienthttp.testkit.Sending;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyed POSTs over TLS, with HTTP/1.1 and with HTTP/2 (ALPN {@code h2}), while the connections under them are reset
 * in bursts: four users make ten rounds of one call each, through the test kit's proxy to WireMock over TLS, and
 * before every third round the proxy gets a {@code reset_peer} toxic, removed once an attempt has failed on it.
 *
 * <p>A burst meets the faults a TLS client sees. A pooled connection (HTTP/1.1: up to one per user; HTTP/2: one for
 * all four, whose streams then fail together) has its next request dropped by the proxy and is closed under it,
 * after the handshake; a connection opened while the toxic is in place is reset during the handshake. The toxic
 * goes as soon as one attempt has failed, so most retries, 20 ms or more later, find the path healthy again. The
 * proxy drops what it has not forwarded, so no reset request reached the origin: each key is processed exactly
 * once, whatever the number of attempts.
 *
 * <p>JDK 17's HTTP/2 client (17.0.15) adds a fault of its own: a stream it opens on the pooled connection while that
 * connection is failing (the EOF being handled) is neither sent nor failed, so the attempt waits for response
 * headers that cannot come, about one call in a hundred here, until the request timeout ends it as a
 * {@code REQUEST_TIMEOUT} and the retry succeeds. (JDK 25 showed no such stream in 960 calls: its
 * {@code Http2Connection.putStream} cancels a stream opened on a connection marked for shutdown. The raw JDK client,
 * with no request timeout, would wait for ever.) The request timeout is 3 s here, not the default 30 s, to keep the
 * run short: a loopback call takes milliseconds.
 */
@ToxiproxyTest
class TlsAndHttp2ResetEndToEndTest {
    private static final ProtectionNumbers NUMBERS = new ProtectionNumbers();
    private static final int USERS = 4;
    private static final int ROUNDS = 10;
    /** Rounds 1, 4 and 7: the first round opens the connections that the first burst then resets. */
    private static final int BURST_EVERY = 3;
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String CREATED = "created";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private WireMockOrigin origin;
    private Proxy proxy;
    private URI orders;

    static Stream<Arguments> versionsAndSendings() {
        return Stream.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)
                .flatMap(version -> Arrays.stream(Sending.values()).map(sending -> Arguments.of(version, sending)));
    }

    @BeforeEach
    void startTlsOriginBehindAProxy(ToxiproxyClient toxiproxy, @TempDir Path keys) throws IOException {
        origin = WireMockOrigin.startHttps(LoopbackTls.get().writeServerKeyStore(keys), LoopbackTls.KEY_STORE_PASSWORD);
        origin.server().stubFor(post("/orders").willReturn(aResponse().withStatus(201).withBody(CREATED)));
        proxy = toxiproxy.createProxy("orders", "127.0.0.1:0", "127.0.0.1:" + origin.httpsPort());
        orders = URI.create("https://" + proxy.getListen() + "/orders");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    /**
     * Ten attempts waiting 20 ms doubling to 200 ms, never less than 20 ms (decorrelated jitter): at least 180 ms
     * of waits, about a second as a rule, for a burst that lasts the few milliseconds it takes to see a failed
     * attempt and remove the toxic. The decision is the standard policy's.
     */
    private static RetryPolicy policy() {
        return RetryPolicy.builder().maxAttempts(10).backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                .jitter(Jitter.DECORRELATED).random(new Random(42)).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("versionsAndSendings")
    void everyKeyedPostSucceedsAndIsProcessedOnceWhileTheProxyResetsConnectionsInBursts(
            HttpClient.Version version, Sending sending) throws Exception {
        FailedAttempts failedAttempts = new FailedAttempts();
        List<HttpResponse<String>> responses = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        int bursts = 0;
        ExecutorService users = Executors.newFixedThreadPool(USERS);
        try (ResilientHttpClient client = ResilientHttpClient.builder().userAgent(Clients.USER_AGENT)
                .version(version).requestTimeout(REQUEST_TIMEOUT)
                .jdkClient(jdk -> jdk.sslContext(LoopbackTls.get().clientContext()))
                .retry(policy()).listener(failedAttempts).build()) {
            for (int round = 0; round < ROUNDS; round++) {
                boolean burst = round % BURST_EVERY == 1;
                int failedBefore = failedAttempts.total();
                Toxic reset = burst ? proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0) : null;
                List<Future<?>> calls = new ArrayList<>();
                for (int user = 0; user < USERS; user++) {
                    String key = "order-" + round + "-" + user;
                    calls.add(users.submit(() -> {
                        try {
                            responses.add(sending.call(client, order(key), BodyHandlers.ofString()));
                        } catch (HttpFailureException e) {
                            failures.add(key + ": " + e.report().failReason());
                        }
                        return null;
                    }));
                }
                if (burst) {
                    String what = "an attempt of round " + round + " failed on a reset";
                    Await.until(what, BOUND, () -> failedAttempts.total() > failedBefore, failedAttempts::byKind);
                    reset.remove();
                    bursts++;
                }
                for (Future<?> call : calls) {
                    call.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } finally {
            users.shutdownNow();
            assertThat(users.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("calls", ROUNDS * USERS);
        facts.put("succeeded", responses.size());
        facts.put("bursts", bursts);
        failedAttempts.byKind().forEach((kind, count) -> facts.put(kind.name(), count));
        facts.put("origin-duplicates", origin.duplicates(IdempotencyKeys.HEADER));
        NUMBERS.record("40 keyed POSTs over TLS, resets in 3 bursts", "resilient-http " + version + " " + sending,
                facts);

        assertThat(failures).isEmpty();
        assertThat(responses).hasSize(ROUNDS * USERS).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.version()).as("the version the call came back in").isEqualTo(version);
        });
        assertThat(failedAttempts.byKind()).as("the failed attempts the resets caused").isNotEmpty()
                .allSatisfy((kind, count) -> assertThat(kind).isIn(expectedKinds(version)));
        assertThat(origin.timesSeen(IdempotencyKeys.HEADER)).hasSize(ROUNDS * USERS)
                .allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
    }

    /** What a reset is classified as; on JDK 17's HTTP/2 also the stuck stream's timeout (see the class comment). */
    private static Set<FailureKind> expectedKinds(HttpClient.Version version) {
        Set<FailureKind> kinds = EnumSet.of(FailureKind.CONNECTION_RESET, FailureKind.STALE_CONNECTION);
        if (version == HttpClient.Version.HTTP_2 && Runtime.version().feature() < 25) {
            kinds.add(FailureKind.REQUEST_TIMEOUT);
        }
        return kinds;
    }

    private HttpRequest order(String key) {
        return IdempotencyKeys.withKey(HttpRequest.newBuilder(orders).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"order\":\"" + key + "\"}")).build(), key);
    }
}
