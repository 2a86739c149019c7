package dev.resilienthttp.fleet.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.resilienthttp.fleet.internal.Signals.HOST;
import static dev.resilienthttp.fleet.internal.Signals.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The record format, version 1: what is written is read back, and what is not of it is refused as bad. */
class SignalCodecTest {

    @Test
    void eachKindOfSignalIsReadBackAsItWasWritten() throws Exception {
        for (Signal signal : new Signal[] {Signals.blocked("b", T0), Signals.hold("b", T0, T0.plusSeconds(3)),
                Signals.lift("c", T0)}) {
            assertThat(SignalCodec.decode(SignalCodec.key(signal), SignalCodec.value(signal))).isEqualTo(signal);
        }
    }

    @Test
    void theValueIsTheDocumentedTextAndSmall() {
        String text = new String(SignalCodec.value(Signals.hold("b", T0, T0.plusSeconds(3))), StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("resilient-http-fleet 1\nwhat=HOLD\nhost=api.example.org:443\ninstance=b\n"
                + "run=run-b\nat=2026-11-21T10:00:00Z\nexpires=2026-11-21T10:00:03Z\nuntil=2026-11-21T10:00:03Z\n"
                + "reason=Retry-After\n");
    }

    @Test
    void aReasonWithLineBreaksOrTooLongStaysOneBoundedLine() throws Exception {
        Signal signal = new Signal(Signal.What.BLOCKED, HOST, "b", T0, T0.plusSeconds(60), null,
                "line one\nwhat=LIFT\r\n" + "x".repeat(1000));

        Signal read = SignalCodec.decode(SignalCodec.key(signal), SignalCodec.value(signal));

        assertThat(read.what()).isEqualTo(Signal.What.BLOCKED);
        assertThat(read.reason()).startsWith("line one what=LIFT x").hasSize(SignalCodec.MAX_REASON_CHARS);
    }

    @Test
    void unknownFieldsAreIgnoredAndTheHostIsNormalised() throws Exception {
        String text = "resilient-http-fleet 1\nwhat=LIFT\nhost=API.example.org:443\ninstance=c\n"
                + "at=2026-11-21T10:00:00Z\nexpires=2026-11-21T11:00:00Z\nfuture-field=1\n";

        Signal read = SignalCodec.decode(bytes("api.example.org:443"), bytes(text));

        assertThat(read).isEqualTo(new Signal(Signal.What.LIFT, HOST, "c", T0, T0.plusSeconds(3600), null, ""));
    }

    @Test
    void aRecordWithNoRunIsReadWithAnEmptyRun() throws Exception {
        Signal noRun = new Signal(Signal.What.BLOCKED, HOST, "b", T0, T0.plusSeconds(60), null, "");

        assertThat(new String(SignalCodec.value(noRun), StandardCharsets.UTF_8)).doesNotContain("run=");
        assertThat(SignalCodec.decode(SignalCodec.key(noRun), SignalCodec.value(noRun)).run()).isEmpty();
    }

    @Test
    void aTombstonesKeyIsReadAsItsHostAndABadOneIsABadKey() throws Exception {
        assertThat(SignalCodec.host(bytes("API.example.org:443"))).isEqualTo(HOST);
        for (byte[] key : new byte[][] {null, bytes("not a host")}) {
            assertThatThrownBy(() -> SignalCodec.host(key)).isInstanceOfSatisfying(SignalCodec.BadSignal.class,
                    bad -> assertThat(bad.kind()).isEqualTo("bad key"));
        }
    }

    @Test
    void aKeyThatIsNotTheValuesHostOrNotAHostIsABadKey() {
        byte[] value = SignalCodec.value(Signals.blocked("b", T0));
        for (byte[] key : new byte[][] {null, bytes("other.example.org:443"), bytes("not a host"),
                new byte[] {(byte) 0xC3, (byte) 0x28}}) {
            assertThatThrownBy(() -> SignalCodec.decode(key, value)).isInstanceOfSatisfying(
                    SignalCodec.BadSignal.class, bad -> assertThat(bad.kind()).isEqualTo("bad key"));
        }
    }

    @Test
    void aValueOfAnotherFormatOrVersionOrMissingAFieldIsABadValue() {
        String good = new String(SignalCodec.value(Signals.blocked("b", T0)), StandardCharsets.UTF_8);
        for (String value : new String[] {null, "{\"what\":\"BLOCKED\"}", good.replace(" 1\n", " 2\n"),
                good.replace("what=BLOCKED", "what=STOP"), good.replace("instance=b\n", ""),
                good.replace("at=2026-11-21T10:00:00Z", "at=yesterday"),
                good.replace("what=BLOCKED", "what=HOLD"), "resilient-http-fleet 1\n" + "x".repeat(3000)}) {
            assertThatThrownBy(() -> SignalCodec.decode(bytes(HOST), value == null ? null : bytes(value)))
                    .as(String.valueOf(value)).isInstanceOfSatisfying(SignalCodec.BadSignal.class,
                            bad -> assertThat(bad.kind()).isEqualTo("bad value"));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
