package dev.resilienthttp.examples.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayOptionsTest {
    @Test
    void takesEveryFlagInBothSpellings() {
        ReplayOptions options = ReplayOptions.parse(new String[] {"--events", "50", "--idle-ms=300", "--reset-rate",
                "0.05", "--deleted-rate=0.1", "--throttle-ms", "0", "--partitions", "2", "--bursts", "5", "--seed",
                "-3", "--api-latency-ms", "20", "--updates-per-article=5", "--max-in-flight", "16", "--json"});

        assertThat(options).isEqualTo(new ReplayOptions(50, 300, 0.05, 0.1, 0, 2, 5, -3L, 20, 5, 16, true));
        assertThat(options.apiLatency()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void defaultsToTheReadmeRun() {
        assertThat(ReplayOptions.parse(new String[0])).isEqualTo(ReplayOptions.DEFAULTS);
    }

    @Test
    void defaultsToAnApiWithoutLatencyAndOneUpdatePerArticleAsBeforeTheseOptions() {
        ReplayOptions defaults = ReplayOptions.parse(new String[0]);

        assertThat(defaults.apiLatencyMs()).isZero();
        assertThat(defaults.updatesPerArticle()).isOne();
        assertThat(defaults.articles()).isEqualTo(defaults.events());
    }

    @Test
    void takesTheLatencyAndTheUpdatesAtTheEndsOfTheirRanges() {
        assertThat(ReplayOptions.parse(new String[] {"--api-latency-ms", "0"}).apiLatencyMs()).isZero();
        assertThat(ReplayOptions.parse(new String[] {"--api-latency-ms", "10000"}).apiLatencyMs()).isEqualTo(10_000);
        assertThat(ReplayOptions.parse(new String[] {"--updates-per-article", "1"}).updatesPerArticle()).isOne();
        assertThat(ReplayOptions.parse(new String[] {"--updates-per-article", "100"}).updatesPerArticle())
                .isEqualTo(100);
    }

    @Test
    void spreadsTheEventsOverEventsDividedByUpdatesPerArticleArticlesRoundedUp() {
        assertThat(ReplayOptions.parse(new String[] {"--events", "1000", "--updates-per-article", "5"}).articles())
                .isEqualTo(200);
        assertThat(ReplayOptions.parse(new String[] {"--events", "1000", "--updates-per-article", "3"}).articles())
                .isEqualTo(334);
        assertThat(ReplayOptions.parse(new String[] {"--events", "7", "--bursts", "1", "--updates-per-article",
                "7"}).articles()).isOne();
    }

    @Test
    void refusesALatencyUpdatesOrInFlightOutOfRangeOrNotWholeNumbers() {
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--api-latency-ms", "-1"}))
                .isInstanceOf(UsageException.class).hasMessage("--api-latency-ms must be between 0 and 10000, was -1");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--api-latency-ms=10001"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--api-latency-ms must be between 0 and 10000, was 10001");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--api-latency-ms", "0.5"}))
                .isInstanceOf(UsageException.class).hasMessage("--api-latency-ms needs a whole number, got '0.5'");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--api-latency-ms"}))
                .isInstanceOf(UsageException.class).hasMessage("--api-latency-ms needs a value");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--updates-per-article", "0"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--updates-per-article must be between 1 and 100, was 0");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--updates-per-article", "101"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--updates-per-article must be between 1 and 100, was 101");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--updates-per-article", "many"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--updates-per-article needs a whole number, got 'many'");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--events", "10", "--bursts", "1",
                "--updates-per-article", "20"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--updates-per-article must be at most --events (10), was 20");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--max-in-flight", "0"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--max-in-flight must be between 1 and 1000, was 0");
    }

    @Test
    void refusesUnknownFlagsMissingValuesAndValuesOutOfRange() {
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--evnts", "5"}))
                .isInstanceOf(UsageException.class).hasMessage("unknown option: --evnts");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--events"}))
                .isInstanceOf(UsageException.class).hasMessage("--events needs a value");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--events", "--json"}))
                .isInstanceOf(UsageException.class).hasMessage("--events needs a value");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--reset-rate", "lots"}))
                .isInstanceOf(UsageException.class).hasMessage("--reset-rate needs a number such as 0.05, got 'lots'");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--events", "0"}))
                .isInstanceOf(UsageException.class).hasMessage("--events must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--events", "5", "--bursts", "6"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--bursts must be between 1 and --events");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--json=yes"}))
                .isInstanceOf(UsageException.class).hasMessage("--json takes no value");
    }

    @Test
    void aBadFlagExitsWithStatusTwoAndAMessageOnStderrOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = IncidentReplay.run(new String[] {"--idle-ms", "10"}, print(out), print(err));

        assertThat(status).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("incident-replay: --idle-ms must be between 50 and 60000, was 10");
    }

    @Test
    void helpPrintsTheUsageAndExitsWithZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = IncidentReplay.run(new String[] {"--events", "x", "--help"}, print(out),
                print(new ByteArrayOutputStream()));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar examples/target/incident-replay.jar")
                .contains("--idle-ms N").contains("--api-latency-ms N").contains("--updates-per-article N");
    }

    @Test
    void aLatencyOutOfRangeExitsWithStatusTwoAndSaysWhy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = IncidentReplay.run(new String[] {"--api-latency-ms", "20000"}, print(out), print(err));

        assertThat(status).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("incident-replay: --api-latency-ms must be between 0 and 10000, was 20000");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
