package dev.resilienthttp.kafka;

import dev.resilienthttp.kafka.internal.ClientConfigs;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durations the processor and the redrive take are refused when set, by name, if no clock of theirs can count them:
 * not on the loop's thread at the first poll, in the middle of an outage or in {@code close()}.
 */
class ProcessorBuilderLimitsTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private static ResilientEventProcessorBuilder<String, String> builder() {
        return ResilientEventProcessor.builder(Serdes.String(), Serdes.String());
    }

    @Test
    void aDurationTooLongToCountIsRefusedByTheNameOfItsSetting() {
        assertThatThrownBy(() -> builder().pollTimeout(FOREVER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pollTimeout is too long");
        assertThatThrownBy(() -> builder().maxHold(Duration.ofSeconds(Long.MAX_VALUE)))
                .hasMessageStartingWith("maxHold is too long");
        assertThatThrownBy(() -> builder().closeTimeout(FOREVER)).hasMessageStartingWith("closeTimeout is too long");
        assertThatThrownBy(() -> Redrive.builder().maxIdle(FOREVER)).hasMessageStartingWith("maxIdle is too long");
    }

    @Test
    void aCloseTimeoutTooShortForACommitIsRefused() {
        assertThatThrownBy(() -> builder().closeTimeout(Duration.ofNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeTimeout must be at least 1 s");
        assertThatCode(() -> builder().closeTimeout(Duration.ofSeconds(1))).doesNotThrowAnyException();
    }

    @Test
    void eachCommitAndARebalancesWaitTakeHalfOfCloseTimeoutButAtMostAQuarterOfMaxPollInterval() {
        assertThat(ResilientEventProcessorBuilder.commitTimeout(Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .as("a 10 s poll interval: the wait and its commit, inside poll(), take at most 5 s")
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(ResilientEventProcessorBuilder.commitTimeout(Duration.ofSeconds(30), Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(ClientConfigs.maxPollInterval(new HashMap<>(Map.of("max.poll.interval.ms", "10000"))))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(ClientConfigs.maxPollInterval(new HashMap<>())).as("kafka-clients' default")
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ClientConfigs.maxPollInterval(new HashMap<>(Map.of("max.poll.interval.ms", "soon"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.poll.interval.ms");
    }

    @Test
    void aMaxPollIntervalTooShortForACommitIsRefusedAtBuildByTheNameOfTheSetting() {
        assertThatThrownBy(() -> buildable(Map.of("max.poll.interval.ms", "3")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max.poll.interval.ms must be at least 2 s").hasMessageContaining("was 3 ms");
        assertThatThrownBy(() -> buildable(Map.of("max.poll.interval.ms", 1000)).build())
                .hasMessageContaining("was 1000 ms");
        assertThatCode(() -> buildable(Map.of("max.poll.interval.ms", "2000")).build()).doesNotThrowAnyException();
        assertThatCode(() -> buildable(Map.of()).build()).as("kafka-clients' default, 5 min")
                .doesNotThrowAnyException();
    }

    /** Everything build() requires; build() opens no client. */
    private static ResilientEventProcessorBuilder<String, String> buildable(Map<String, Object> consumer) {
        Map<String, Object> config = new HashMap<>(consumer);
        config.put("bootstrap.servers", "localhost:9");
        config.put("group.id", "limits-test");
        return builder().consumerConfig(config).topics("t").errorTopic("t-error").deadLetterTopic("t-dlt")
                .handler(record -> { });
    }

    @Test
    void aBadBackoffIsRefusedNamingTheSettingItWasGivenTo() {
        assertThatThrownBy(() -> builder().holdRetry(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("holdRetry: ")
                .hasMessageContaining("must not be shorter than base");
        assertThatThrownBy(() -> builder().retryDelay(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("retryDelay's base must be positive");
        assertThatThrownBy(() -> builder().produceRetryBackoff(Duration.ofMillis(1), FOREVER))
                .hasMessageStartingWith("produceRetryBackoff's cap is too long");
    }
}
