package dev.resilienthttp.fleet.internal;

import dev.resilienthttp.core.internal.Origin;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The control topic's record, version 1 (documented in the module's package javadoc). The key is the host
 * ({@code host:port}, UTF-8); the value is UTF-8 text, a first line {@code resilient-http-fleet 1} and then one
 * {@code name=value} per line:
 * <pre>{@code
 * resilient-http-fleet 1
 * what=BLOCKED
 * host=api.example.org:443
 * instance=enricher-7
 * run=3f1c9a2e-5b7d-4e8a-9c61-0d2f7b4a8e15
 * at=2026-11-21T10:15:30.120Z
 * expires=2026-11-21T11:15:30.120Z
 * reason=20 consecutive 403s
 * }</pre>
 * A {@code HOLD} has {@code until=<instant>}; {@code run} and {@code reason} are optional. Unknown names are
 * ignored, so that a later minor addition does not break an older reader; another first line is another format,
 * which this reader refuses. A record with no value (a tombstone, which only a person writes) is read with
 * {@link #host}.
 */
public final class SignalCodec {
    /** The first line of every value of this format. */
    public static final String HEADER = "resilient-http-fleet 1";
    /** A value is small: a few hundred bytes. Past this it is not ours. */
    static final int MAX_VALUE_BYTES = 2048;
    /** A reason is one line a person reads in a log. */
    static final int MAX_REASON_CHARS = 300;
    /** A run is a nonce: a UUID is 36 characters. */
    static final int MAX_RUN_CHARS = 64;

    private SignalCodec() {
    }

    /** A record that is not a signal of this format; {@link #kind} says whether its key or its value is wrong. */
    public static final class BadSignal extends Exception {
        private static final long serialVersionUID = 1L;
        private final String kind;

        BadSignal(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        /** {@code "bad key"} or {@code "bad value"}. */
        public String kind() {
            return kind;
        }
    }

    /** The record's key: the host. */
    public static byte[] key(Signal signal) {
        return signal.host().getBytes(StandardCharsets.UTF_8);
    }

    /** The record's value. */
    public static byte[] value(Signal signal) {
        StringBuilder text = new StringBuilder(HEADER).append('\n')
                .append("what=").append(signal.what()).append('\n')
                .append("host=").append(signal.host()).append('\n')
                .append("instance=").append(oneLine(signal.instance(), 200)).append('\n');
        if (!signal.run().isEmpty()) {
            text.append("run=").append(oneLine(signal.run(), MAX_RUN_CHARS)).append('\n');
        }
        text.append("at=").append(signal.at()).append('\n')
                .append("expires=").append(signal.expires()).append('\n');
        if (signal.until() != null) {
            text.append("until=").append(signal.until()).append('\n');
        }
        if (!signal.reason().isEmpty()) {
            text.append("reason=").append(oneLine(signal.reason(), MAX_REASON_CHARS)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The host a record's key names: what a tombstone (a record with no value) is about.
     *
     * @throws BadSignal if the key is not a host
     */
    public static String host(byte[] key) throws BadSignal {
        if (key == null) {
            throw new BadSignal("bad key", "no key");
        }
        try {
            return Origin.normaliseHostPort(utf8(key, "bad key"));
        } catch (IllegalArgumentException e) {
            throw new BadSignal("bad key", "the key is not host:port");
        }
    }

    /**
     * The signal a record carries.
     *
     * @throws BadSignal if the key is not the host the value names, or the value is not this format (or is none:
     *                   read a tombstone with {@link #host})
     */
    public static Signal decode(byte[] key, byte[] value) throws BadSignal {
        String keyHost = host(key);
        if (value == null) {
            throw new BadSignal("bad value", "no value");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new BadSignal("bad value", "the value has " + value.length + " bytes, more than "
                    + MAX_VALUE_BYTES);
        }
        String[] lines = utf8(value, "bad value").split("\n");
        if (!lines[0].equals(HEADER)) {
            throw new BadSignal("bad value", "the value does not start with \"" + HEADER + "\"");
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int equals = lines[i].indexOf('=');
            if (equals > 0) {
                fields.putIfAbsent(lines[i].substring(0, equals), lines[i].substring(equals + 1));
            }
        }
        Signal.What what;
        try {
            what = Signal.What.valueOf(required(fields, "what"));
        } catch (IllegalArgumentException e) {
            throw new BadSignal("bad value", "what is none of BLOCKED, HOLD, LIFT");
        }
        String host;
        try {
            host = Origin.normaliseHostPort(required(fields, "host"));
        } catch (IllegalArgumentException e) {
            throw new BadSignal("bad value", "host is not host:port");
        }
        if (!host.equals(keyHost)) {
            throw new BadSignal("bad key", "the key names another host than the value");
        }
        String instance = required(fields, "instance");
        String run = oneLine(fields.getOrDefault("run", ""), MAX_RUN_CHARS);
        Instant until = what == Signal.What.HOLD ? instant(fields, "until") : null;
        String reason = fields.getOrDefault("reason", "");
        return new Signal(what, host, instance, run, instant(fields, "at"), instant(fields, "expires"), until,
                oneLine(reason, MAX_REASON_CHARS));
    }

    private static String required(Map<String, String> fields, String name) throws BadSignal {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new BadSignal("bad value", "no " + name);
        }
        return value;
    }

    private static Instant instant(Map<String, String> fields, String name) throws BadSignal {
        try {
            return Instant.parse(required(fields, name));
        } catch (DateTimeParseException e) {
            throw new BadSignal("bad value", name + " is not an ISO-8601 instant");
        }
    }

    private static String utf8(byte[] bytes, String kind) throws BadSignal {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadSignal(kind, "not UTF-8");
        }
    }

    /** No line break can end a field early; long text is cut. */
    static String oneLine(String text, int max) {
        String line = text.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
