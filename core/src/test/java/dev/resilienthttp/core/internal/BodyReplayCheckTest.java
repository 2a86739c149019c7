package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte check behind {@link OffloadedPublisher}: a re-send must repeat what the earlier sends gave. */
class BodyReplayCheckTest {
    private final BodyReplayCheck check = new BodyReplayCheck();

    @Test
    void aReSendOfTheSameBytesInOtherBuffersPasses() {
        assertThat(send(check.start(), "hello ", "world")).isNull();

        assertThat(send(check.start(), "hel", "lo wo", "rld")).isNull();
        assertThat(send(check.start(), "hello world")).isNull();
    }

    @Test
    void aReSendThatIsEmptyShorterLongerOrDifferentIsRefused() {
        assertThat(send(check.start(), "hello world")).isNull();

        assertThat(send(check.start())).contains("differs on re-send").contains("ended after 0 bytes");
        assertThat(send(check.start(), "hello")).contains("ended after 5 bytes");
        assertThat(send(check.start(), "hello world!")).contains("runs past the 11 bytes");
        assertThat(send(check.start(), "hello", " WORLD")).contains("first 11 bytes are not");
    }

    @Test
    void aFirstSendCutMidBodyIsThePrefixLaterOnesMustRepeat() {
        BodyReplayCheck.Pass cut = check.start();
        assertThat(cut.next(bytes("hello "))).isNull();   // the JDK cancelled here: no onComplete

        assertThat(send(check.start(), "world")).as("the rest of a shared stream").contains("ended after 5 bytes");
        assertThat(send(check.start(), "world, and more")).contains("first 6 bytes are not");
        assertThat(send(check.start(), "hello world")).isNull();
        assertThat(send(check.start(), "hello world, longer")).as("the longest complete send is what is known")
                .contains("runs past the 11 bytes");
    }

    @Test
    void aFirstSendThatGaveNothingLetsAnyBodyThrough() {
        check.start();   // subscribed, nothing requested: the connection failed first

        assertThat(send(check.start(), "hello")).isNull();
    }

    @Test
    void theBuffersGoOnToTheJdkUnread() {
        assertThat(send(check.start(), "hello")).isNull();
        ByteBuffer direct = ByteBuffer.allocateDirect(8).put(bytes("xxhello!")).flip();
        direct.position(2);
        BodyReplayCheck.Pass pass = check.start();

        assertThat(pass.next(direct)).as("crosses the known 5 bytes: checked up to exactly there").isNotNull();
        assertThat(direct.position()).isEqualTo(2);
        assertThat(direct.limit()).isEqualTo(8);

        ByteBuffer same = ByteBuffer.allocateDirect(8).put(bytes("xxhello")).flip();
        same.position(2);
        BodyReplayCheck.Pass again = check.start();
        assertThat(again.next(same)).isNull();
        assertThat(again.complete()).isNull();
        assertThat(same.position()).isEqualTo(2);
        assertThat(same.limit()).isEqualTo(7);
    }

    /** The failure's message when a subscription gives {@code parts} and completes, or {@code null} if it passed. */
    private static String send(BodyReplayCheck.Pass pass, String... parts) {
        for (String part : parts) {
            BodyNotReplayableException refused = pass.next(bytes(part));
            if (refused != null) {
                return refused.getMessage();
            }
        }
        BodyNotReplayableException refused = pass.complete();
        return refused == null ? null : refused.getMessage();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
