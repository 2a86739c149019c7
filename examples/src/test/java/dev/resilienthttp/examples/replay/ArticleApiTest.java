package dev.resilienthttp.examples.replay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The article API on 127.0.0.1, called with the JDK client: its version check and its latency. */
class ArticleApiTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ArticleApi api;

    /**
     * The JDK reads its HTTP server's settings once per JVM, when the first server starts, and IncidentReplayTest
     * runs in this JVM: whichever runs first, the settings are those of its replay.
     */
    @BeforeAll
    static void configureTheJdkServerAsTheReplayTestsReplayDoes() {
        ArticleApi.configureJdkServer(IncidentReplay.apiIdleClose(
                Scenario.draw(ReplayOptions.parse(IncidentReplayTest.ARGS.clone()))));
    }

    @AfterEach
    void closeTheApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void answersAnUpdateOlderThanOneAcceptedWith200AndCountsItOutOfOrder() throws Exception {
        api = ArticleApi.start(Set.of(), Duration.ZERO);
        ArticleApi.Tally run = api.beginRun();

        assertThat(post("article-1", 1)).isEqualTo(200);
        assertThat(post("article-1", 3)).isEqualTo(200);
        assertThat(post("article-1", 2)).isEqualTo(200);

        assertThat(run.outOfOrder()).isOne();
        assertThat(run.requests()).isEqualTo(3);
    }

    @Test
    void doesNotCountARetryOfTheSameVersionOutOfOrder() throws Exception {
        api = ArticleApi.start(Set.of(), Duration.ZERO);
        ArticleApi.Tally run = api.beginRun();

        post("article-1", 1);
        post("article-1", 2);
        post("article-1", 2);

        assertThat(run.outOfOrder()).isZero();
    }

    @Test
    void checksVersionsPerRunSoTheSecondClientsRunStartsFromNoVersionAccepted() throws Exception {
        api = ArticleApi.start(Set.of(), Duration.ZERO);
        ArticleApi.Tally first = api.beginRun();
        post("article-1", 5);
        post("article-1", 4);

        ArticleApi.Tally second = api.beginRun();
        post("article-1", 1);

        assertThat(first.outOfOrder()).isOne();
        assertThat(second.outOfOrder()).isZero();
    }

    @Test
    void neitherA404NorA429AcceptsAVersion() throws Exception {
        api = ArticleApi.start(Set.of("gone"), Duration.ZERO);
        ArticleApi.Tally run = api.beginRun();

        assertThat(post("gone", 2)).isEqualTo(404);
        assertThat(post("gone", 1)).isEqualTo(404);
        api.throttleFor(Duration.ofSeconds(30));
        assertThat(post("article-1", 2)).isEqualTo(429);
        api.throttleFor(Duration.ZERO);
        assertThat(post("article-1", 1)).isEqualTo(200);

        assertThat(run.throttled()).isOne();
        assertThat(run.outOfOrder()).isZero();
    }

    @Test
    void answersEveryRequestAfterTheLatencyWithHundredsWaitingAtOnce() throws Exception {
        int requests = 250;
        Duration latency = Duration.ofMillis(400);
        api = ArticleApi.start(Set.of(), latency);
        api.beginRun();
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        long start = System.nanoTime();

        for (int i = 1; i <= requests; i++) {
            long sent = System.nanoTime();
            calls.add(client.sendAsync(request("article-" + i, 1), HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> {
                        assertThat(response.statusCode()).isEqualTo(200);
                        return System.nanoTime() - sent;
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // Were each request to hold one of the API's 8 threads while it waits: 250 / 8 x 0.4 s = 12.5 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        for (CompletableFuture<Long> call : calls) {
            assertThat(Duration.ofNanos(call.join())).isGreaterThanOrEqualTo(latency);
        }
    }

    private int post(String articleId, int version) throws IOException, InterruptedException {
        return client.send(request(articleId, version), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest request(String articleId, int version) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/articles/" + articleId))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"article_id\":\"" + articleId + "\",\"version\":"
                        + version + ",\"identifier\":\"id-" + articleId + "-" + version + "\",\"title\":\"t\"}"))
                .build();
    }
}
