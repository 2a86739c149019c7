package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * Maps what the JDK {@code HttpClient} throws to a {@link FailureKind} and an {@link Outcome}, on JDK 17 and 25
 * alike. {@code send} re-wraps every failure in a new exception of the same class, and the JDK nests its own
 * wrappers, so the rules look at the whole cause chain, not the top exception. The shapes come from
 * research/jdk-connection-facts.md section 2.4, reproduced by core's loopback fixtures.
 */
public final class FailureClassifier {
    /** A chain longer than this is a cycle or a bug; the rules have seen all they need by then. */
    private static final int MAX_CHAIN = 32;

    /** The JDK says "no response byte arrived" with this (HTTP/1.1, reused or fresh connection). */
    private static final String NO_RESPONSE_BYTE = "header parser received no bytes";

    /** The JDK says "the response was cut" with one of these (HTTP/1.1). */
    private static final List<String> CUT_RESPONSE = List.of(
            "fixed content-length", "chunked transfer encoding", "parsing http/1.1 header", "http1_0 content",
            "bytes received");

    /** What a refused connection means, for the report: the JDK's exceptions say nothing. */
    static final String REFUSED = "connection refused: nothing accepted a connection on that port (no server "
            + "listening, or a firewall rejecting)";

    private FailureClassifier() {
    }

    /**
     * Classifies a failed attempt.
     *
     * @param failure               what the JDK threw
     * @param connectionMayBeReused whether the attempt may have used a pooled connection: its generation has
     *                              already completed an exchange with the same origin. A reset before any
     *                              response byte is a stale connection only then; on a fresh pool it is the
     *                              server's (or the path's) doing.
     */
    public static Classification classify(Throwable failure, boolean connectionMayBeReused) {
        List<Throwable> chain = chainOf(failure);
        Throwable root = chain.get(chain.size() - 1);

        // A re-sent body that would differ from the first send's (OffloadedPublisher): the same body would meet a
        // retry, so it is permanent. The server got part of a request at most, but a streaming one may act on part.
        Throwable notReplayable = first(chain, BodyNotReplayableException.class);
        if (notReplayable != null) {
            return new Classification(FailureKind.IO_ERROR, Outcome.MAYBE_PROCESSED, notReplayable);
        }
        // The JDK's timeouts are typed; the connect one is a subclass of the request one, so it goes first.
        if (any(chain, HttpConnectTimeoutException.class)) {
            return new Classification(FailureKind.CONNECT_TIMEOUT, Outcome.NOT_SENT, root);
        }
        if (any(chain, HttpTimeoutException.class)) {
            return new Classification(FailureKind.REQUEST_TIMEOUT, Outcome.MAYBE_PROCESSED, first(chain,
                    HttpTimeoutException.class));
        }
        // HTTP/2: the peer said it did not process the stream (REFUSED_STREAM, or a GOAWAY below it). JDKs that
        // retry such streams say "not processed by peer" when the retry fails too; older 17u builds do not retry
        // and report the frame as it came, "Received RST_STREAM: Stream not processed".
        if (anyMessage(chain, "not processed by peer") || anyMessage(chain, "rst_stream: stream not processed")) {
            return new Classification(FailureKind.HTTP2_STREAM_REFUSED, Outcome.NOT_SENT, root);
        }
        // HTTP/2: the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached, so the JDK wrote nothing of this stream.
        if (anyMessage(chain, "too many concurrent streams")) {
            return new Classification(FailureKind.HTTP2_STREAM_REFUSED, Outcome.NOT_SENT, root);
        }
        // HTTP/2: the peer reset the stream with another code, or went away (17.0.15 fails streams it has not
        // retried with "GOAWAY received", not saying whether they were processed): it may have acted on it.
        if (anyMessage(chain, "received rst_stream") || anyMessage(chain, "goaway received")) {
            return new Classification(FailureKind.HTTP2_RESET, Outcome.MAYBE_PROCESSED, root);
        }
        // No connection was made, so nothing was sent.
        if (any(chain, ConnectException.class) || any(chain, UnknownHostException.class)
                || any(chain, NoRouteToHostException.class) || any(chain, PortUnreachableException.class)
                || any(chain, UnresolvedAddressException.class)) {
            if (silent(chain)) {
                // The JDK says a refusal as ConnectException(null) over ClosedChannelException(null), on 17 and 25.
                return new Classification(FailureKind.CONNECT_FAILURE, Outcome.NOT_SENT,
                        first(chain, ConnectException.class), REFUSED);
            }
            return new Classification(FailureKind.CONNECT_FAILURE, Outcome.NOT_SENT, root);
        }
        // A TLS handshake happens on a new connection, before the request is written: nothing was sent. A reset or
        // an end of stream during it is the path's or the server's doing and may pass (a TLS terminator restarting,
        // an overloaded one shedding); a certificate or protocol failure will not, and stays permanent.
        if (any(chain, SSLHandshakeException.class)) {
            // The JDK says a FIN during the handshake as "terminated the handshake", or, when it came before the
            // client's first handshake bytes, as "closed the channel" (SSLTube.handshakeFailed, 17 and 25).
            if (isResetOrEof(root) || anyMessage(chain, "remote host terminated the handshake")
                    || anyMessage(chain, "remote host closed the channel")) {
                return new Classification(FailureKind.CONNECTION_RESET, Outcome.NOT_SENT, root);
            }
            return new Classification(FailureKind.IO_ERROR, Outcome.NOT_SENT, root);
        }
        if (isResetOrEof(root)) {
            // Part of a response arrived: the server acted on the request, and the connection was live.
            if (CUT_RESPONSE.stream().anyMatch(marker -> anyMessage(chain, marker))) {
                return new Classification(FailureKind.CONNECTION_RESET, Outcome.PROCESSED, root);
            }
            // Nothing arrived (HTTP/1.1 says so; HTTP/2 reports a bare reset). On a connection that may have sat
            // in the pool this is the NAT-gateway case; the same words can also mean the server processed the
            // request and then closed (JDK-8338569), so it is never assumed unsent.
            FailureKind kind = connectionMayBeReused ? FailureKind.STALE_CONNECTION : FailureKind.CONNECTION_RESET;
            return new Classification(kind, Outcome.MAYBE_PROCESSED, root);
        }
        return new Classification(FailureKind.IO_ERROR, Outcome.MAYBE_PROCESSED, root);
    }

    /**
     * What the JDK's {@code send} made an {@code IOException} of though it was none, or {@code null}: a body
     * handler's or subscriber's exception, or a request body's unchecked one, which {@code sendAsync} fails with as it
     * is. The JDK's {@code send} wraps any such cause in a plain {@code IOException}; its transport failures are
     * {@code IOException}s already, and keep their own class.
     */
    public static Throwable unwrappedBySend(IOException failure) {
        Throwable cause = failure.getCause();
        return failure.getClass() == IOException.class
                && (cause instanceof RuntimeException || cause instanceof Error) ? cause : null;
    }

    /**
     * Whether the JDK itself sent the request twice before failing: it re-sends a GET or HEAD once when a
     * connection fails before any response byte (its {@code ConnectionExpiredException}), inside what we see as one
     * attempt. The server may then have seen two requests.
     */
    public static boolean jdkResent(String method, Throwable failure) {
        return ("GET".equals(method) || "HEAD".equals(method)) && anyMessage(chainOf(failure), NO_RESPONSE_BYTE);
    }

    private static boolean isResetOrEof(Throwable root) {
        if (root instanceof EOFException) {
            return true;
        }
        String message = lower(root.getMessage());
        return root instanceof IOException
                && (message.contains("connection reset") || message.contains("broken pipe")
                || message.contains("connection abort") || message.contains("eof reached")
                || message.contains(NO_RESPONSE_BYTE) || message.contains("closed locally"));
    }

    private static List<Throwable> chainOf(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** Whether no exception of the chain says anything. */
    private static boolean silent(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(List<Throwable> chain, Class<? extends Throwable> type) {
        return first(chain, type) != null;
    }

    private static Throwable first(List<Throwable> chain, Class<? extends Throwable> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean anyMessage(List<Throwable> chain, String lowerCaseFragment) {
        for (Throwable t : chain) {
            if (lower(t.getMessage()).contains(lowerCaseFragment)) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
