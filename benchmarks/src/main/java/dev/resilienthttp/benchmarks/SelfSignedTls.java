package dev.resilienthttp.benchmarks;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The loopback server's certificate for {@code 127.0.0.1}: self-signed, made once per JVM by the running JDK's
 * {@code keytool} (no file in the repository, no library), as core's test fixture {@code TestTls} makes its own.
 * The clients get an {@link SSLContext} that trusts exactly this certificate.
 */
final class SelfSignedTls {
    /** Guards nothing but a throwaway key on loopback. */
    static final String PASSWORD = "loopback-only";

    private static SelfSignedTls instance;

    private final KeyStore serverKeys;
    private final SSLContext clientContext;

    private SelfSignedTls(KeyStore serverKeys, SSLContext clientContext) {
        this.serverKeys = serverKeys;
        this.clientContext = clientContext;
    }

    /** This JVM's certificate, made on first use (about a second: keytool is a process of its own). */
    static synchronized SelfSignedTls get() {
        if (instance == null) {
            instance = make();
        }
        return instance;
    }

    /** The server's key and certificate, under {@link #PASSWORD}. */
    KeyStore serverKeys() {
        return serverKeys;
    }

    /** For {@code HttpClient.Builder.sslContext}: trusts the loopback certificate and nothing else. */
    SSLContext clientContext() {
        return clientContext;
    }

    private static SelfSignedTls make() {
        try {
            Path dir = Files.createTempDirectory("resilient-http-benchmarks-tls");
            Path store = dir.resolve("server.p12");
            try {
                keytool(store);
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    keys.load(in, PASSWORD.toCharArray());
                }
                return new SelfSignedTls(keys, trusting(keys));
            } finally {
                Files.deleteIfExists(store);
                Files.delete(dir);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the loopback certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the loopback certificate", e);
        }
    }

    private static void keytool(Path store) throws IOException, InterruptedException {
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        byte[] said;
        try (InputStream out = keytool.getInputStream()) {
            said = out.readAllBytes();
        }
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            keytool.destroyForcibly();
            throw new IllegalStateException("keytool could not make the loopback certificate: " + new String(said));
        }
    }

    private static SSLContext trusting(KeyStore keys) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagers.getTrustManagers(), null);
        return client;
    }
}
