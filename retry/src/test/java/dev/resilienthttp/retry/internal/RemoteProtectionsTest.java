package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.retry.FleetChannel;
import dev.resilienthttp.retry.ProtectionListener;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What other instances tell a policy's protections, on virtual time: a remote latch refuses as a local one does and
 * says who found it, a remote hold is capped as a local one is, and nothing told from outside is told back.
 */
class RemoteProtectionsTest {
    private static final String HOST = "api.example.org:443";
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
    private static final long FAR = Duration.ofMinutes(10).toNanos();

    private final AtomicLong nanos = new AtomicLong(1_000);
    /** The wall clock, START when the monotonic clock reads 1 000 ns, and moving with it. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return START.plusNanos(nanos.get() - 1_000);
        }
    };
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final Protections protections = new Protections(settings(), new ProtectionListener() {
        @Override
        public void hostHeld(String host, Duration wait) {
            heard.add("held " + host + " " + wait);
        }

        @Override
        public void hostBlocked(String host, String reason) {
            heard.add("blocked " + host);
        }

        @Override
        public void hostUnblocked(String host) {
            heard.add("unblocked " + host);
        }

        @Override
        public void hostHeldRemotely(String host, Duration wait) {
            heard.add("held remotely " + host + " " + wait);
        }

        @Override
        public void hostBlockedRemotely(String host, String reason) {
            heard.add("blocked remotely " + host + ": " + reason);
        }

        @Override
        public void hostUnblockedRemotely(String host) {
            heard.add("unblocked remotely " + host);
        }
    }, nanos::get, clock);

    private final FleetChannel channel = new FleetChannel() {
        @Override
        public void blocked(String host, String reason) {
            told.add("blocked " + host + ": " + reason);
        }

        @Override
        public void held(String host, Instant until) {
            told.add("held " + host + " until " + until);
        }

        @Override
        public void unblocked(String host) {
            told.add("unblocked " + host);
        }
    };

    private static ProtectionSettings settings() {
        return new ProtectionSettings(3, 0.9, 50, Duration.ZERO, 0, 100, Duration.ofSeconds(30), 3, 0, 1, -1, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofMinutes(10), 10_000,
                Duration.ofMinutes(1));
    }

    @Test
    void aRemoteLatchRefusesCallsWithBlockedNamingTheInstanceAndIsNotToldBack() {
        protections.link(channel);

        assertThat(protections.blockRemotely(HOST, "instance b at 2026-11-21T09:59:58Z: 20 consecutive 403s",
                START.minusSeconds(2)))
                .isTrue();

        Admission admission = protections.admit(HOST, FAR);
        assertThat(admission).isInstanceOf(Admission.Refuse.class);
        Admission.Refuse refused = (Admission.Refuse) admission;
        assertThat(refused.kind()).isEqualTo(FailureKind.BLOCKED);
        assertThat(refused.detail()).contains("told by another instance", "instance b", "20 consecutive 403s");
        assertThat(protections.blockedHosts()).containsExactly(HOST);
        assertThat(heard).containsExactly("blocked remotely " + HOST + ": instance b at 2026-11-21T09:59:58Z: "
                + "20 consecutive 403s");
        assertThat(told).as("no echo").isEmpty();
    }

    @Test
    void aRemoteLiftUnlatchesWithoutTellingTheChannelButAPersonsUnblockTellsItEvenWhenNothingWasLatchedHere() {
        protections.link(channel);
        protections.blockRemotely(HOST, "instance b: 20 consecutive 403s", START);

        assertThat(protections.liftRemotely(HOST, "unblocked by hand on instance c", START)).isTrue();
        assertThat(protections.liftRemotely(HOST, "again", START)).isFalse();
        assertThat(protections.admit(HOST, FAR)).isInstanceOf(Permit.class);
        assertThat(told).isEmpty();

        assertThat(protections.unblock("API.example.org:443")).as("not latched here").isFalse();
        assertThat(told).containsExactly("unblocked " + HOST);
        assertThat(heard).containsExactly("blocked remotely " + HOST + ": instance b: 20 consecutive 403s",
                "unblocked remotely " + HOST);
    }

    @Test
    void aLocalLatchAndALocalHoldAreToldToTheChannelWithTheHoldsWallClockEnd() {
        protections.link(channel);
        for (int i = 0; i < 3; i++) {
            ((Permit) protections.admit(HOST, FAR)).record(FailureKind.FORBIDDEN, 403, null, 1);
        }
        String other = "other.example.org:443";
        ((Permit) protections.admit(other, FAR)).record(FailureKind.THROTTLED, 429, Duration.ofSeconds(3), 1);

        assertThat(told).containsExactly("blocked " + HOST + ": 3 consecutive 403s",
                "held " + other + " until " + START.plusSeconds(3));
        assertThat(heard).containsExactly("blocked " + HOST, "held " + other + " PT3S");
    }

    @Test
    void aRemoteHoldLastsUntilItsEndButNeverPastTheLocalCapAndAPastEndChangesNothing() {
        assertThat(protections.holdRemotely(HOST, START.minusSeconds(1))).isFalse();
        assertThat(protections.holdRemotely(HOST, START)).isFalse();
        assertThat(protections.admit(HOST, FAR)).isInstanceOf(Permit.class);

        assertThat(protections.holdRemotely(HOST, START.plusSeconds(3))).isTrue();
        assertThat(protections.admit(HOST, FAR)).isEqualTo(new Admission.Hold(Duration.ofSeconds(3)));
        assertThat(protections.holdRemotely(HOST, START.plusSeconds(2))).as("an earlier end shortens nothing")
                .isFalse();

        assertThat(protections.holdRemotely(HOST, START.plus(Duration.ofHours(5)))).isTrue();
        assertThat(protections.admit(HOST, FAR)).as("capped at maxRetryAfter, 120 s")
                .isEqualTo(new Admission.Hold(Duration.ofSeconds(120)));

        nanos.addAndGet(Duration.ofSeconds(120).toNanos());
        assertThat(protections.admit(HOST, FAR)).isInstanceOf(Permit.class);
        assertThat(heard).containsExactly("held remotely " + HOST + " PT3S", "held remotely " + HOST + " PT2M");
    }

    @Test
    void aPolicyWithoutA403LatchIgnoresARemoteLatch() {
        Protections noLatch = new Protections(new ProtectionSettings(0, 0.9, 50, Duration.ZERO, 0, 100,
                Duration.ofSeconds(30), 3, 0, 1, -1, 10, Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofMinutes(10), 10_000, Duration.ofMinutes(1)),
                ProtectionListener.NONE, nanos::get, Clock.fixed(START, ZoneOffset.UTC));

        assertThat(noLatch.blockRemotely(HOST, "instance b", START)).isFalse();
        assertThat(noLatch.admit(HOST, FAR)).isInstanceOf(Permit.class);
    }

    @Test
    void oneChannelAtATimeAndAfterUnlinkNothingIsTold() {
        protections.link(channel);
        assertThatThrownBy(() -> protections.link(channel)).isInstanceOf(IllegalStateException.class);
        protections.unlink(channel);
        protections.unblock(HOST);
        assertThat(told).isEmpty();
    }

    @Test
    void aLiftMadeBeforeALocalLatchClosedLeavesItLatchedAndOneMadeSinceLiftsIt() {
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        for (int i = 0; i < 3; i++) {
            ((Permit) protections.admit(HOST, FAR)).record(FailureKind.FORBIDDEN, 403, null, 1);
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(protections.liftRemotely(HOST, "unblocked by hand on instance c at 10:00:09", START.plusSeconds(9)))
                .as("read late: the person unblocked before this latch closed").isFalse();
        assertThat(protections.blockedHosts()).containsExactly(HOST);
        assertThat(protections.liftRemotely(HOST, "unblocked by hand on instance c at 10:00:10",
                START.plusSeconds(10))).isTrue();
        assertThat(protections.blockedHosts()).isEmpty();
    }

    @Test
    void aRemoteLatchDatesFromWhenTheOtherInstancesLatchClosedNotFromWhenItWasRead() {
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        protections.blockRemotely(HOST, "instance b at 10:00:05: 20 consecutive 403s", START.plusSeconds(5));

        assertThat(protections.liftRemotely(HOST, "unblocked by hand on instance c at 10:00:04",
                START.plusSeconds(4))).as("before b's latch").isFalse();
        assertThat(protections.liftRemotely(HOST, "unblocked by hand on instance c at 10:00:06",
                START.plusSeconds(6))).as("after b's latch, though before it was read here").isTrue();
        assertThat(heard).containsExactly("blocked remotely " + HOST + ": instance b at 10:00:05: 20 consecutive 403s",
                "unblocked remotely " + HOST);
    }

    @Test
    void aPersonsUnblockBetweenTheLatchAndItsAnnouncementLeavesTheFleetToldUnblockedLast() {
        AtomicReference<Protections> self = new AtomicReference<>();
        Protections unblockedAtOnce = new Protections(settings(), new ProtectionListener() {
            @Override
            public void hostBlocked(String host, String reason) {
                self.get().unblock(host);   // a person's click, between the latch closing and the fleet being told
            }
        }, nanos::get, clock);
        self.set(unblockedAtOnce);
        unblockedAtOnce.link(channel);

        for (int i = 0; i < 3; i++) {
            ((Permit) unblockedAtOnce.admit(HOST, FAR)).record(FailureKind.FORBIDDEN, 403, null, 1);
        }

        assertThat(unblockedAtOnce.blockedHosts()).isEmpty();
        assertThat(told).as("the fleet's last word is the unblock").last().isEqualTo("unblocked " + HOST);
    }
}
