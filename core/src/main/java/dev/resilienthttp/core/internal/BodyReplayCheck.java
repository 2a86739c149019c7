package dev.resilienthttp.core.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Whether each subscription to one request body gives the bytes the earlier ones gave. The JDK subscribes once per
 * exchange it sends: each attempt, and a redirect's or an authenticator's re-send within one. A body whose publisher
 * is not replayable ({@code ofInputStream} over one shared stream) gives a later subscription the rest of the stream,
 * or nothing, and the server would take that for the request.
 *
 * <p>What is known of the body is the longest run of bytes a subscription has given: its length, its CRC32, and
 * whether the body ended there. A later subscription must give the same run (checked when its count reaches the
 * run's length) and, if the body ended there, end there too. Only counts and a running CRC are kept, never bytes.
 */
final class BodyReplayCheck {
    static final String DIFFERS = "the request body differs on re-send: its publisher is not replayable (e.g. "
            + "ofInputStream with a supplier that returns the same stream); give a supplier that opens the body anew";

    private int subscriptions;
    private long knownBytes;
    private long knownCrc;
    private boolean knownComplete;

    /** A new subscription's check, against what the earlier ones gave. */
    synchronized Pass start() {
        subscriptions++;
        return new Pass(this, subscriptions, knownBytes, knownCrc, knownComplete);
    }

    /**
     * What the latest subscription has given beyond what was known, every byte checked. An older one that still
     * runs (the JDK may cancel it after the next has started) says nothing: the latest has checked against it.
     */
    private synchronized void known(int subscription, long bytes, long crc, boolean complete) {
        if (subscription == subscriptions && bytes >= knownBytes) {
            // Ending where a complete body ended says nothing new; it must not make that body look cut.
            knownComplete = complete || bytes == knownBytes && knownComplete;
            knownBytes = bytes;
            knownCrc = crc;
        }
    }

    /**
     * One subscription's bytes as they go to the JDK. Its signals are serial (a publisher's {@code onNext} and
     * {@code onComplete} never overlap), so it needs no lock of its own.
     */
    static final class Pass {
        private final BodyReplayCheck check;
        private final int number;
        private final long expectedBytes;
        private final long expectedCrc;
        private final boolean expectedComplete;
        private final CRC32 crc = new CRC32();
        private long bytes;

        private Pass(BodyReplayCheck check, int number, long expectedBytes, long expectedCrc,
                     boolean expectedComplete) {
            this.check = check;
            this.number = number;
            this.expectedBytes = expectedBytes;
            this.expectedCrc = expectedCrc;
            this.expectedComplete = expectedComplete;
        }

        /** Whether an earlier subscription was made: this one is a re-send. */
        boolean resend() {
            return number > 1;
        }

        /** Counts {@code item}, about to go to the JDK: {@code null}, or the failure to send instead of it. */
        BodyNotReplayableException next(ByteBuffer item) {
            int length = item.remaining();
            int checked = 0;
            if (bytes < expectedBytes && bytes + length >= expectedBytes) {
                // This buffer completes the run an earlier subscription gave: compare up to exactly its end.
                checked = (int) (expectedBytes - bytes);
                update(item, 0, checked);
                if (crc.getValue() != expectedCrc) {
                    return differs("its first " + expectedBytes + " bytes are not those an earlier send gave");
                }
            }
            if (expectedComplete && bytes + length > expectedBytes) {
                return differs("it runs past the " + expectedBytes + " bytes an earlier send ended at");
            }
            update(item, checked, length - checked);
            bytes += length;
            if (bytes > expectedBytes) {
                check.known(number, bytes, crc.getValue(), false);
            }
            return null;
        }

        /** The body ended: {@code null}, or the failure to end the exchange with instead. */
        BodyNotReplayableException complete() {
            if (bytes < expectedBytes) {
                return differs("it ended after " + bytes + " bytes; an earlier send gave " + expectedBytes
                        + (expectedComplete ? "" : " and was cut there"));
            }
            check.known(number, bytes, crc.getValue(), true);
            return null;
        }

        /**
         * Adds {@code length} bytes of {@code item} from {@code offset} past its position to the CRC, leaving the
         * buffer as it was: its position and limit are moved and put back, rather than a {@code duplicate()} made
         * per buffer.
         */
        private void update(ByteBuffer item, int offset, int length) {
            if (length == 0) {
                return;
            }
            int position = item.position();
            int limit = item.limit();
            item.position(position + offset).limit(position + offset + length);
            crc.update(item);
            item.limit(limit).position(position);
        }

        private static BodyNotReplayableException differs(String why) {
            return new BodyNotReplayableException(DIFFERS + " (" + why + ")");
        }
    }
}
