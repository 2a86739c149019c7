package dev.resilienthttp.retry;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A closed link is inert: what a fleet's reader applies after {@code close()} changes nothing. */
class FleetLinkTest {
    private static final String HOST = "api.example.org:443";

    private static final FleetChannel SILENT = new FleetChannel() {
        @Override
        public void blocked(String host, String reason) {
        }

        @Override
        public void held(String host, Instant until) {
        }

        @Override
        public void unblocked(String host) {
        }
    };

    @Test
    void afterCloseALinkLatchesHoldsAndLiftsNothing() {
        RetryPolicy policy = RetryPolicy.standard();
        FleetLink link = policy.link(SILENT);
        Instant now = Instant.now();
        assertThat(link.block("other.example.org:443", "instance b", now)).isTrue();

        link.close();

        assertThat(link.block(HOST, "instance b", now)).isFalse();
        assertThat(link.hold(HOST, now.plusSeconds(30))).isFalse();
        assertThat(link.lift("other.example.org:443", "instance c", now.plusSeconds(1))).isFalse();
        assertThat(policy.blockedHosts()).containsExactly("other.example.org:443");
        assertThat(policy.link(SILENT).block(HOST, "instance b", now)).as("a new link works").isTrue();
    }
}
