package dev.resilienthttp.faults;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} (and {@code localhost}), made once per JVM by the running JDK's own
 * {@code keytool}: no library, no file in a repository, a key that lives as long as the JVM. With it, the SSL context
 * of a loopback server and that of a client that trusts exactly this certificate, for TLS fault tests and
 * benchmarks.
 *
 * <pre>{@code
 * HttpClient.newBuilder().sslContext(LoopbackTls.get().clientContext())...
 * SSLSocket tls = LoopbackTls.get().serverSide(accepted);          // a hand-written server
 * Path keys = LoopbackTls.get().writeServerKeyStore(tempDir);      // a server that loads its key from a file
 * }</pre>
 */
public final class LoopbackTls {
    /** The password of {@link #serverKeys()} and of {@link #writeServerKeyStore}'s file: it guards a throwaway key. */
    public static final String KEY_STORE_PASSWORD = "loopback-only";
    private static final char[] PASSWORD = KEY_STORE_PASSWORD.toCharArray();
    /** keytool is a process of its own; a second is typical, this only bounds a stuck one. */
    private static final long KEYTOOL_SECONDS = 60;
    private static LoopbackTls instance;

    private final KeyStore serverKeys;
    private final SSLContext server;
    private final SSLContext client;

    private LoopbackTls(KeyStore serverKeys, SSLContext server, SSLContext client) {
        this.serverKeys = serverKeys;
        this.server = server;
        this.client = client;
    }

    /** This JVM's certificate, made on first use. */
    public static synchronized LoopbackTls get() {
        if (instance == null) {
            instance = make();
        }
        return instance;
    }

    /** For {@code HttpClient.Builder.sslContext} and the like: trusts this certificate and nothing else. */
    public SSLContext clientContext() {
        return client;
    }

    /** The server's context: this certificate and its key. */
    public SSLContext serverContext() {
        return server;
    }

    /** The server's key and certificate (alias {@code server}), under {@link #KEY_STORE_PASSWORD}. */
    public KeyStore serverKeys() {
        return serverKeys;
    }

    /** Wraps an accepted connection as the TLS server's side; the handshake runs on the first read. */
    public SSLSocket serverSide(Socket accepted) throws IOException {
        SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(accepted, null, accepted.getPort(), true);
        tls.setUseClientMode(false);
        return tls;
    }

    /**
     * Writes the server's key and certificate to {@code directory}/server.p12 (PKCS12, {@link #KEY_STORE_PASSWORD})
     * and returns its path; the caller deletes it (a JUnit {@code @TempDir} does).
     */
    public Path writeServerKeyStore(Path directory) throws IOException {
        Path file = directory.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            serverKeys.store(out, PASSWORD);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the loopback key store", e);
        }
        return file;
    }

    private static LoopbackTls make() {
        try {
            KeyStore keys = keytool();
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keyManagers.getKeyManagers(), null, null);

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("server", keys.getCertificate("server"));
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trustManagers.getTrustManagers(), null);
            return new LoopbackTls(keys, server, client);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the loopback certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the loopback certificate", e);
        }
    }

    /** Runs the JDK's keytool into a temporary key store, loads it and deletes the file. */
    private static KeyStore keytool() throws IOException, GeneralSecurityException, InterruptedException {
        Path dir = Files.createTempDirectory("resilient-http-tls");
        Path store = dir.resolve("server.p12");
        try {
            Process keytool = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", KEY_STORE_PASSWORD, "-keypass", KEY_STORE_PASSWORD))
                    .redirectErrorStream(true).start();
            byte[] said;
            try (InputStream out = keytool.getInputStream()) {
                said = out.readAllBytes();
            }
            if (!keytool.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool could not make the loopback certificate: " + new String(said));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            return keys;
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }
}
