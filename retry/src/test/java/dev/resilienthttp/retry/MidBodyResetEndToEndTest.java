package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.RecordedRequest;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET responses cut in the middle of their body: the origin sends the headers and 100 of 1000 declared bytes,
 * then RST, on 10 % of requests (a seeded script, so every run and both clients meet the same sequence). A GET
 * is safe to repeat, so every call must succeed under the retry policy; the raw JDK client loses those calls.
 */
class MidBodyResetEndToEndTest {
    private static final RetryNumbers NUMBERS = new RetryNumbers();
    private static final String SCENARIO = "GET cut mid-body by RST on 10 % of 400 calls";
    private static final int CALLS = 400;
    private static final String BODY = "a".repeat(1000);
    private static final long SEED = 20261121L;

    private ScriptedHttpServer origin;

    @BeforeEach
    void startOrigin() {
        Behaviour full = Behaviour.respond(200, Map.of("Content-Type", "text/plain"), BODY);
        origin = ScriptedHttpServer.start(full);
        Random random = new Random(SEED);
        // The script is consumed per request, retries included; past its end every request gets the full body.
        for (int i = 0; i < CALLS; i++) {
            origin.enqueue(random.nextInt(10) == 0 ? Behaviour.resetAfterHeaders(100, 1000) : full);
        }
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    @AfterAll
    static void printNumbers() {
        NUMBERS.print();
    }

    private HttpRequest article(int call) {
        return HttpRequest.newBuilder(origin.uri("/articles/" + call)).header("X-Call-Id", "c-" + call).GET().build();
    }

    /** Requests beyond the first for each call: the re-sends that reached the origin. */
    private long duplicates() {
        List<RecordedRequest> requests = origin.requests();
        return requests.size() - requests.stream().map(r -> r.header("X-Call-Id").orElse("")).distinct().count();
    }

    /** A short backoff keeps 400 calls with ~40 retries within a second or two; see {@link Clients#shortBackoff}. */
    @ParameterizedTest
    @EnumSource(Sending.class)
    void everyGetCutMidBodySucceedsOnARetry(Sending sending) throws Exception {
        FailedAttempts failedAttempts = new FailedAttempts();
        List<String> failures = new ArrayList<>();
        int succeeded = 0;
        try (ResilientHttpClient client =
                     Clients.resilient(Clients.shortBackoff()).listener(failedAttempts).build()) {
            for (int call = 0; call < CALLS; call++) {
                try {
                    HttpResponse<String> response = sending.call(client, article(call), BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().equals(BODY)) {
                        succeeded++;
                    } else {
                        failures.add("call " + call + ": HTTP " + response.statusCode());
                    }
                } catch (HttpFailureException e) {
                    failures.add("call " + call + ": " + e.report().failReason());
                }
            }
        }
        NUMBERS.record(SCENARIO, "resilient-http " + sending, CALLS, succeeded, duplicates());

        assertThat(failedAttempts.byKind()).as("the cut responses, as the client saw them")
                .containsOnlyKeys(FailureKind.CONNECTION_RESET);
        assertThat(failedAttempts.total()).as("the fault was real").isPositive();
        assertThat(failures).isEmpty();
        assertThat(succeeded).isEqualTo(CALLS);
        assertThat(origin.requestCount()).isEqualTo(CALLS + failedAttempts.total());
    }

    @Test
    void theRawJdkClientLosesTheGetsCutMidBody() throws Exception {
        HttpClient raw = Clients.rawJdk();
        int succeeded = 0;
        try {
            for (int call = 0; call < CALLS; call++) {
                try {
                    HttpResponse<String> response = raw.send(article(call), BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().equals(BODY)) {
                        succeeded++;
                    }
                } catch (IOException e) {
                    // A lost call: counted below.
                }
            }
        } finally {
            Clients.close(raw);
        }
        NUMBERS.record(SCENARIO, "raw JDK", CALLS, succeeded, duplicates());

        assertThat(succeeded).as("without a fault the comparison proves nothing").isLessThan(CALLS);
    }
}
