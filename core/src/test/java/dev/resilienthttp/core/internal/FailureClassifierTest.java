package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.Outcome;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chains the JDK throws, as research/jdk-connection-facts.md section 2.4 records them (identical on 17 and
 * 25). The end-to-end tests reproduce them on loopback; these pin every rule, including the ones a loopback
 * server cannot reach (DNS, TLS).
 */
class FailureClassifierTest {

    /** {@code send} re-wraps the async exception in a new one of the same class and message. */
    private static IOException asSendThrowsIt(String message, Throwable root) {
        return new IOException(message, new IOException(message, root));
    }

    private static Classification classify(Throwable failure, boolean reused) {
        return FailureClassifier.classify(failure, reused);
    }

    @Test
    void aResetBeforeAnyResponseByteOnAPooledConnectionIsAStaleConnectionThatMayHaveBeenProcessed() {
        IOException nat = asSendThrowsIt("HTTP/1.1 header parser received no bytes",
                new SocketException("Connection reset"));
        Classification c = classify(nat, true);
        assertThat(c.kind()).isEqualTo(FailureKind.STALE_CONNECTION);
        assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
        assertThat(c.cause()).isInstanceOf(SocketException.class).hasMessage("Connection reset");
    }

    @Test
    void anEofBeforeAnyResponseByteOnAPooledConnectionIsAStaleConnectionToo() {
        IOException fin = asSendThrowsIt("HTTP/1.1 header parser received no bytes",
                new EOFException("EOF reached while reading"));
        assertThat(classify(fin, true).kind()).isEqualTo(FailureKind.STALE_CONNECTION);
    }

    @Test
    void theSameResetOnAFreshPoolIsTheServersConnectionReset() {
        IOException fresh = asSendThrowsIt("HTTP/1.1 header parser received no bytes",
                new SocketException("Connection reset"));
        Classification c = classify(fresh, false);
        assertThat(c.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
        assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void theJdkPoolRaceLooksLikeAStaleConnectionAndIsNeverAssumedUnsent() {
        IOException race = asSendThrowsIt("HTTP/1.1 header parser received no bytes",
                new IOException("connection closed locally"));
        Classification c = classify(race, true);
        assertThat(c.kind()).isEqualTo(FailureKind.STALE_CONNECTION);
        assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void aResetInTheMiddleOfTheBodyIsAConnectionResetTheServerProcessed() {
        IOException cut = asSendThrowsIt("fixed content-length: 1000, bytes received: 100",
                new SocketException("Connection reset"));
        Classification c = classify(cut, true);
        assertThat(c.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
        assertThat(c.outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void aResetInTheMiddleOfTheHeadersOrAChunkedBodyIsProcessedToo() {
        IOException headers = asSendThrowsIt("parsing HTTP/1.1 header, receiving [Content-Le], parser state [HEADER]",
                new SocketException("Connection reset"));
        IOException chunked = asSendThrowsIt("chunked transfer encoding, state: READING_DATA",
                new EOFException("EOF reached while reading"));
        assertThat(classify(headers, true).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(classify(chunked, false).kind()).isEqualTo(FailureKind.CONNECTION_RESET);
    }

    @Test
    void aRefusedConnectionWithANullMessageIsAConnectFailureNotSent() {
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        ConnectException wrapped = new ConnectException();
        wrapped.initCause(refused);
        Classification c = classify(wrapped, true);
        assertThat(c.kind()).isEqualTo(FailureKind.CONNECT_FAILURE);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT);
    }

    @Test
    void anUnknownHostIsAConnectFailure() {
        assertThat(classify(new IOException("wrapped", new UnknownHostException("nowhere.invalid")), false).kind())
                .isEqualTo(FailureKind.CONNECT_FAILURE);
    }

    @Test
    void theConnectTimeoutIsNotSentAndTheRequestTimeoutMayHaveBeenProcessed() {
        HttpConnectTimeoutException connect = new HttpConnectTimeoutException("HTTP connect timed out");
        connect.initCause(new ConnectException("HTTP connect timed out"));
        HttpConnectTimeoutException asSendThrowsIt = new HttpConnectTimeoutException("HTTP connect timed out");
        asSendThrowsIt.initCause(connect);
        Classification connectTimeout = classify(asSendThrowsIt, true);
        Classification requestTimeout = classify(new HttpTimeoutException("request timed out"), true);
        assertThat(connectTimeout.kind()).isEqualTo(FailureKind.CONNECT_TIMEOUT);
        assertThat(connectTimeout.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(requestTimeout.kind()).isEqualTo(FailureKind.REQUEST_TIMEOUT);
        assertThat(requestTimeout.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void http2StreamsThePeerDidNotProcessAreRefusedAndOtherStreamResetsMayHaveBeen() {
        Classification refused = classify(new IOException("request not processed by peer"), true);
        Classification refusedOn17015 = classify(asSendThrowsIt("Received RST_STREAM: Stream not processed", null),
                true);
        Classification reset = classify(asSendThrowsIt("Received RST_STREAM: Internal error", null), true);
        assertThat(refused.kind()).isEqualTo(FailureKind.HTTP2_STREAM_REFUSED);
        assertThat(refused.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(refusedOn17015.kind()).isEqualTo(FailureKind.HTTP2_STREAM_REFUSED);
        assertThat(reset.kind()).isEqualTo(FailureKind.HTTP2_RESET);
        assertThat(reset.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void aRequestOverThePeersConcurrentStreamLimitIsAnHttp2StreamRefusedThatWasNotSent() {
        // Http2Connection.reserveStream's exception as sendAsync fails with it, and as send re-wraps it (17 and 25).
        IOException async = new IOException("too many concurrent streams");
        IOException sent = new IOException(async.getMessage(), new IOException(async.getMessage()));
        for (IOException failure : new IOException[] {async, sent}) {
            Classification c = classify(failure, true);
            assertThat(c.kind()).isEqualTo(FailureKind.HTTP2_STREAM_REFUSED);
            assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT);
        }
    }

    @Test
    void aGoawayThatTheJdkDidNotRetryIsAnHttp2ResetThatMayHaveBeenProcessed() {
        Classification c = classify(new IOException("/127.0.0.1:4711: GOAWAY received"), true);
        assertThat(c.kind()).isEqualTo(FailureKind.HTTP2_RESET);
        assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void aBareResetOnAReusedHttp2ConnectionIsStaleOnBothJdks() {
        IOException jdk17Write = new IOException("Connection reset by peer", new IOException("Connection reset by peer"));
        IOException jdk25 = new IOException("Connection reset", new SocketException("Connection reset"));
        assertThat(classify(jdk17Write, true).kind()).isEqualTo(FailureKind.STALE_CONNECTION);
        assertThat(classify(jdk25, true).kind()).isEqualTo(FailureKind.STALE_CONNECTION);
    }

    @Test
    void tooManyRetriesIsClassifiedByWhatCausedIt() {
        IOException tooMany = new IOException("Too many retries", asSendThrowsIt(
                "HTTP/1.1 header parser received no bytes", new SocketException("Connection reset")));
        assertThat(classify(tooMany, false).kind()).isEqualTo(FailureKind.CONNECTION_RESET);
    }

    @Test
    void anythingElseIsAnIoErrorThatMayHaveBeenProcessed() {
        Classification c = classify(new IOException("something odd"), true);
        assertThat(c.kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    }

    @Test
    void aCauseChainWithACycleEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertThat(classify(a, true).kind()).isEqualTo(FailureKind.IO_ERROR);
    }

    @Test
    void aRefusedConnectionSaysSoThoughTheJdkSaysNothing() {
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        ConnectException asSendThrowsIt = new ConnectException();
        asSendThrowsIt.initCause(refused);
        Classification c = classify(asSendThrowsIt, false);

        assertThat(c.kind()).isEqualTo(FailureKind.CONNECT_FAILURE);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(c.cause()).isInstanceOf(ConnectException.class);
        assertThat(c.message()).startsWith("connection refused");
    }

    @Test
    void aResetDuringTheTlsHandshakeIsAConnectionResetThatSentNothing() {
        SSLHandshakeException handshake = new SSLHandshakeException("Remote host terminated the handshake");
        handshake.initCause(new SocketException("Connection reset"));
        SSLHandshakeException asSendThrowsIt = new SSLHandshakeException("Remote host terminated the handshake");
        asSendThrowsIt.initCause(handshake);
        Classification c = classify(asSendThrowsIt, true);

        assertThat(c.kind()).as("a handshake is on a new connection: never stale").isEqualTo(FailureKind.CONNECTION_RESET);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT);
    }

    @Test
    void aFinDuringTheTlsHandshakeIsAConnectionResetThatSentNothingWhateverTheJdkCallsIt() {
        // SSLTube.handshakeFailed's two messages, with no cause, as sendAsync fails with them and as send re-wraps
        // them (JDK 17.0.15 and 25.0.3, HTTP/1.1 and HTTP/2 alike): the FIN came during the handshake, or before it.
        for (String message : new String[] {"Remote host terminated the handshake", "Remote host closed the channel"}) {
            SSLHandshakeException async = new SSLHandshakeException(message);
            SSLHandshakeException sent = new SSLHandshakeException(message);
            sent.initCause(new SSLHandshakeException(message));
            for (SSLHandshakeException failure : new SSLHandshakeException[] {async, sent}) {
                Classification c = classify(failure, false);
                assertThat(c.kind()).as(message).isEqualTo(FailureKind.CONNECTION_RESET);
                assertThat(c.outcome()).as(message).isEqualTo(Outcome.NOT_SENT);
            }
        }
    }

    @Test
    void aCertificateFailureDuringTheHandshakeStaysPermanent() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed: "
                + "unable to find valid certification path to requested target");
        Classification c = classify(untrusted, false);

        assertThat(c.kind()).isEqualTo(FailureKind.IO_ERROR);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT);
    }

    @Test
    void aHandshakeTheServerRefusedWithAnAlertOrACertificateTheClientDistrustsStaysPermanentOnBothJdks() {
        // As send throws them: on 17.0.15 (no prefix) and 25.0.3 (the alert's name in brackets first).
        String pkix = "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
                + "unable to find valid certification path to requested target";
        for (String prefix : new String[] {"", "(certificate_unknown) "}) {
            SSLHandshakeException untrusted = new SSLHandshakeException(prefix + pkix);
            untrusted.initCause(new SSLHandshakeException(prefix + pkix));
            // The JDK's ValidatorException and SunCertPathBuilderException are internal; these are their supertypes.
            untrusted.getCause().initCause(new CertificateException(pkix, new CertPathBuilderException(
                    "unable to find valid certification path to requested target")));
            assertThat(classify(untrusted, false).kind()).as(prefix + pkix).isEqualTo(FailureKind.IO_ERROR);
        }
        for (String message : new String[] {"Received fatal alert: handshake_failure",
                "(handshake_failure) Received fatal alert: handshake_failure"}) {
            SSLHandshakeException refused = new SSLHandshakeException(message);
            refused.initCause(new SSLHandshakeException(message));
            Classification c = classify(refused, false);
            assertThat(c.kind()).as(message).isEqualTo(FailureKind.IO_ERROR);
            assertThat(c.outcome()).as(message).isEqualTo(Outcome.NOT_SENT);
        }
    }

    @Test
    void whatTheJdksSendWrappedThoughItWasNoTransportFailureIsUnwrappedAndNothingElse() {
        IllegalStateException handlers = new IllegalStateException("a body handler's bug");
        StackOverflowError error = new StackOverflowError();

        assertThat(FailureClassifier.unwrappedBySend(new IOException(handlers.getMessage(), handlers)))
                .isSameAs(handlers);
        assertThat(FailureClassifier.unwrappedBySend(new IOException("x", error))).isSameAs(error);
        assertThat(FailureClassifier.unwrappedBySend(new IOException("reset", new SocketException("Connection reset"))))
                .as("a transport failure the JDK wrapped").isNull();
        assertThat(FailureClassifier.unwrappedBySend(new ConnectException("refused"))).isNull();
        assertThat(FailureClassifier.unwrappedBySend(new HttpTimeoutException("request timed out"))).isNull();
        assertThat(FailureClassifier.unwrappedBySend(new IOException("no cause"))).isNull();
    }
}
