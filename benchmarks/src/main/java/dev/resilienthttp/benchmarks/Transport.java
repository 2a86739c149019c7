package dev.resilienthttp.benchmarks;

import dev.resilienthttp.faults.LoopbackTls;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a call reaches {@link LoopbackServer}: what the server's connector speaks, and what a JDK-based client must be
 * told to speak it (its version, and trust in {@link LoopbackTls}'s certificate). Named in lower case, as
 * {@link TransportBenchmark}'s parameter names it.
 */
enum Transport {
    /** HTTP/1.1 in the clear: every benchmark but {@link TransportBenchmark}. */
    CLEAR("http", HttpClient.Version.HTTP_1_1) {
        @Override
        ConnectionFactory[] serverFactories() {
            return new ConnectionFactory[] {new HttpConnectionFactory()};
        }
    },
    /** HTTP/1.1 over TLS. */
    TLS("https", HttpClient.Version.HTTP_1_1) {
        @Override
        ConnectionFactory[] serverFactories() {
            return new ConnectionFactory[] {
                    new SslConnectionFactory(sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory()};
        }
    },
    /** HTTP/2 over TLS, chosen by ALPN; the server offers nothing else, so a client cannot fall back unseen. */
    H2("https", HttpClient.Version.HTTP_2) {
        @Override
        ConnectionFactory[] serverFactories() {
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2");
            return new ConnectionFactory[] {
                    new SslConnectionFactory(sslContextFactory(), alpn.getProtocol()),
                    alpn,
                    new HTTP2ServerConnectionFactory(new HttpConfiguration())};
        }
    };

    private final String scheme;
    private final HttpClient.Version version;

    Transport(String scheme, HttpClient.Version version) {
        this.scheme = scheme;
        this.version = version;
    }

    /** The connection factories of the server's connector, first to last. */
    abstract ConnectionFactory[] serverFactories();

    String scheme() {
        return scheme;
    }

    /** The version a client asks for, and the one every response must come back in. */
    HttpClient.Version version() {
        return version;
    }

    /** Gives a JDK client what it needs beyond {@link #version()}: trust in the loopback certificate over TLS. */
    void trust(HttpClient.Builder jdk) {
        if (this != CLEAR) {
            jdk.sslContext(LoopbackTls.get().clientContext());
        }
    }

    /** The transport named {@code name} in lower case ({@code "tls"}, {@code "h2"}). */
    static Transport named(String name) {
        return Arrays.stream(values()).filter(transport -> transport.name().toLowerCase(Locale.ROOT).equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no transport named " + name));
    }

    private static SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(LoopbackTls.get().serverKeys());
        tls.setKeyStorePassword(LoopbackTls.KEY_STORE_PASSWORD);
        return tls;
    }
}
