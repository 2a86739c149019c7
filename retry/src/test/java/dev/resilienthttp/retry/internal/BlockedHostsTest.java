package dev.resilienthttp.retry.internal;

import dev.resilienthttp.retry.ProtectionListener;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the 403 latch tells the listener follows what the latch did, even when a person's unblock comes between the
 * latch closing and its closing being told: the listener never hears a host blocked that is not.
 */
class BlockedHostsTest {
    private static final String HOST = "api.example.org:443";

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ForbiddenLatch latch = new ForbiddenLatch(2, 0.9, 50, 0, 10_000);
    private final BlockedHosts blocked = new BlockedHosts(latch, new ProtectionListener() {
        @Override
        public void hostBlocked(String host, String reason) {
            heard.add("blocked " + host);
        }

        @Override
        public void hostUnblocked(String host) {
            heard.add("unblocked " + host);
        }

        @Override
        public void hostBlockedRemotely(String host, String reason) {
            heard.add("blocked remotely " + host);
        }
    }, new FleetTie(), Clock.systemUTC());

    private ForbiddenLatch.Change latchTheHost() {
        assertThat(blocked.record(HOST, true, ForbiddenLatch.Pass.GO, 1)).isNull();
        ForbiddenLatch.Change closed = blocked.record(HOST, true, ForbiddenLatch.Pass.GO, 2);
        assertThat(closed).isNotNull();
        return closed;
    }

    @Test
    void aLatchThatClosesAndIsToldIsHeardBlockedThenUnblocked() {
        blocked.announce(latchTheHost());

        assertThat(blocked.unblock(HOST)).isTrue();

        assertThat(heard).containsExactly("blocked " + HOST, "unblocked " + HOST);
    }

    @Test
    void anUnblockBetweenTheLatchClosingAndItsTellingLeavesNothingHeardAndNothingBlocked() {
        ForbiddenLatch.Change closed = latchTheHost();

        assertThat(blocked.unblock(HOST)).as("it was blocked").isTrue();
        blocked.announce(closed);   // the thread that closed the latch tells it only now

        assertThat(heard).isEmpty();
        assertThat(blocked.hosts()).isEmpty();
        assertThat(blocked.details()).isEmpty();
    }

    @Test
    void aHostBlockedRemotelyAndUnblockedHereIsHeardSo() {
        assertThat(blocked.blockRemotely(HOST, "45 of the last 50 responses were 403", 1, 2)).isTrue();

        assertThat(blocked.unblock(HOST)).isTrue();

        assertThat(heard).containsExactly("blocked remotely " + HOST, "unblocked " + HOST);
    }

    @Test
    void aLiftToldLateIsNotTakenForTheLatchThatClosedSinceAndTheHostStaysHeardBlocked() {
        blocked.announce(latchTheHost());
        long lifted = latch.unblock(HOST);            // a person's unblock; its telling comes late
        assertThat(blocked.blockRemotely(HOST, "told by b", 3, 4)).isTrue();   // the latch closes again meanwhile

        ForbiddenLatch.Change lateLift = new ForbiddenLatch.Change(HOST, false, "by hand", lifted);
        blocked.announce(lateLift);

        assertThat(blocked.hosts()).containsExactly(HOST);
        assertThat(heard).as("the lift told as the new closing was, between the two")
                .containsExactly("blocked " + HOST, "unblocked " + HOST, "blocked remotely " + HOST);
        assertThat(blocked.details().get(HOST)).contains("told by another instance: told by b");
    }

    @Test
    void aClosingToldLateIsNotToldWhenAnotherClosingHasTakenItsPlace() {
        ForbiddenLatch.Change first = latchTheHost();
        assertThat(blocked.unblock(HOST)).isTrue();
        ForbiddenLatch.Change second = latchTheHost();
        blocked.announce(second);

        blocked.announce(first);   // the first closing's thread tells it only now

        assertThat(heard).containsExactly("blocked " + HOST);
    }
}
