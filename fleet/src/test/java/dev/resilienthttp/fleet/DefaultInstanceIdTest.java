package dev.resilienthttp.fleet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default instance id: one that outlives a pod's restarts where there is one, and always a valid id. */
class DefaultInstanceIdTest {
    private static final String PID = String.valueOf(ProcessHandle.current().pid());

    @Test
    void theHostNameIsTheDefaultIdSoThatARestartedPodCountsOnceInAQuorum() {
        assertThat(FleetSignalsBuilder.defaultInstanceId("orders-7f9c-x2k4p")).isEqualTo("orders-7f9c-x2k4p");
        assertThat(FleetSignalsBuilder.defaultInstanceId(" orders-1 \n")).isEqualTo("orders-1");
    }

    @Test
    void withoutAHostNameTheDefaultIsTheProcessIdAndARandomSuffix() {
        String first = FleetSignalsBuilder.defaultInstanceId(null);
        String second = FleetSignalsBuilder.defaultInstanceId("  ");

        assertThat(first).matches(PID + "-[0-9a-f]{8}");
        assertThat(second).matches(PID + "-[0-9a-f]{8}").isNotEqualTo(first);
    }

    @Test
    void aHostNameThatIsNoValidIdIsNotUsed() {
        assertThat(FleetSignalsBuilder.defaultInstanceId("a".repeat(201))).matches(PID + "-[0-9a-f]{8}");
        assertThat(FleetSignalsBuilder.defaultInstanceId("two\nlines")).matches(PID + "-[0-9a-f]{8}");
    }

    @Test
    void anIdOfSeveralLinesIsRefusedWhateverTheirNumber() {
        for (String id : new String[] {"two\nlines", "three\nshort\nlines", "cr\rlf\r\n"}) {
            assertThatThrownBy(() -> FleetSignals.builder().instanceId(id))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one non-blank line");
        }
    }
}
