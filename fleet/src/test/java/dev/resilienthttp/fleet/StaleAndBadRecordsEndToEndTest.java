package dev.resilienthttp.fleet;

import dev.resilienthttp.fleet.internal.Signal;
import dev.resilienthttp.fleet.internal.SignalCodec;
import dev.resilienthttp.kafka.KafkaTestBroker;
import dev.resilienthttp.faults.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stale record cannot block a fleet, and a misconfigured peer cannot disturb it: records past their expiry, with a
 * key that is not a host, or with a value of another format change nothing, and each kind is logged once, however
 * many come. A tombstone (an operator deleting a host's record by hand) is no trouble: the host then has no word.
 * The log is read as a service sees it (slf4j-simple, which writes to {@code System.err}).
 */
@ExtendWith(KafkaTestBroker.Shared.class)
class StaleAndBadRecordsEndToEndTest {
    private PrintStream realErr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void readTheLog() {
        realErr = System.err;
        System.setErr(new PrintStream(new TeeStream(realErr, log), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(realErr);
    }

    @Test
    void expiredRecordsAndRecordsWithABadKeyOrValueChangeNothingAndEachKindIsLoggedOnce(KafkaTestBroker broker)
            throws Exception {
        String topic = ControlTopics.create(broker, "bad");
        String host = "api.example.org:443";
        // An operator deleted a host's record by hand: a tombstone after it. The host has no word any more.
        String deleted = "deleted.example.org:443";
        Instant then = Instant.now();
        ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, deleted, "b", then,
                then.plusSeconds(3600), null, "20 consecutive 403s"));
        ControlTopics.write(broker, topic, bytes(deleted), null);
        try (Instance a = Instance.inFleet("a", broker.bootstrapServers(), topic)) {
            ControlTopics.warmUp(broker, topic, a);
            Instant now = Instant.now();
            Instant twoHoursAgo = now.minus(Duration.ofHours(2));
            for (int i = 0; i < 2; i++) {
                ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, host, "b", twoHoursAgo,
                        twoHoursAgo.plus(Duration.ofHours(1)), null, "20 consecutive 403s"));
                ControlTopics.write(broker, topic, new Signal(Signal.What.HOLD, host, "b", twoHoursAgo,
                        twoHoursAgo.plusSeconds(30), twoHoursAgo.plusSeconds(30), "Retry-After"));
                ControlTopics.write(broker, topic, bytes(host), bytes("{\"what\":\"BLOCKED\",\"host\":\"" + host
                        + "\"}"));
                ControlTopics.write(broker, topic, bytes("not a host"), SignalCodec.value(new Signal(
                        Signal.What.BLOCKED, host, "b", now, now.plusSeconds(3600), null, "misconfigured")));
            }
            // A good record after them all: once it is heard, every record before it has been read.
            String sentinel = "sentinel.example.org:443";
            ControlTopics.write(broker, topic, new Signal(Signal.What.BLOCKED, sentinel, "b", now,
                    now.plusSeconds(3600), null, "20 consecutive 403s"));
            Await.until("a reads the record after the bad ones", Duration.ofSeconds(30),
                    () -> a.heard("hostBlockedRemotely", sentinel));

            assertThat(a.policy.blockedHosts()).contains(sentinel).doesNotContain(host);
            assertThat(a.heard).extracting(Instance.Heard::host).doesNotContain(host, deleted);
            assertThat(a.policy.blockedHosts()).as("a deleted record is no word").doesNotContain(deleted);
            List<String> lines = lines();
            assertThat(lines).filteredOn(line -> line.contains("expired at")).as("expired").hasSize(1);
            assertThat(lines).filteredOn(line -> line.contains("bad value")).as("bad value").hasSize(1);
            assertThat(lines).filteredOn(line -> line.contains("tombstone") || line.contains(deleted))
                    .as("a tombstone is no trouble").isEmpty();
            assertThat(lines).filteredOn(line -> line.contains("bad key")).as("bad key").hasSize(1);
        }
    }

    private List<String> lines() {
        return Arrays.stream(log.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.contains("dev.resilienthttp.fleet")).collect(Collectors.toList());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes to both streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
