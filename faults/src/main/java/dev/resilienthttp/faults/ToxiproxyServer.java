package dev.resilienthttp.faults;

import dev.resilienthttp.faults.internal.api.ApiServer;
import dev.resilienthttp.faults.internal.api.RestCalls;
import dev.resilienthttp.faults.internal.cli.CommandLine;
import dev.resilienthttp.faults.internal.cli.UsageException;
import dev.resilienthttp.faults.internal.live.LiveServers;
import dev.resilienthttp.faults.internal.proxy.ProxyRegistry;
import dev.resilienthttp.faults.internal.proxy.Workers;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Toxiproxy 2.x server inside the JVM: the same REST API (every route toxiproxy-java uses, plus
 * {@code /populate} and {@code PATCH}), the same proxies and toxics, and our {@code idle_reset}.
 *
 * <pre>{@code
 * try (ToxiproxyServer server = ToxiproxyServer.start()) {
 *     Proxy proxy = server.client().createProxy("api", "127.0.0.1:0", "127.0.0.1:" + originPort);
 *     proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0);
 *     // connect to proxy.getListen() ...
 * }
 * }</pre>
 *
 * <p>Every socket and thread the server opens (all named {@code toxiproxy-…}) is closed by
 * {@link #close()}. Run it standalone with {@link #main}, as a drop-in for {@code toxiproxy-server}.
 */
public final class ToxiproxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyServer.class);
    /** Links end within milliseconds of their sockets closing; this only bounds a stuck shutdown. */
    private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(10);

    private final Workers workers;
    private final ProxyRegistry registry;
    private final ApiServer api;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private ToxiproxyServer(Workers workers, ProxyRegistry registry, ApiServer api) {
        this.workers = workers;
        this.registry = registry;
        this.api = api;
    }

    /** Starts the API on {@code 127.0.0.1} and a free port. */
    public static ToxiproxyServer start() {
        return start(CommandLine.DEFAULT_HOST, 0);
    }

    /**
     * Starts the API on {@code host:port} ({@code port} 0 picks a free one).
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ToxiproxyServer start(String host, int port) {
        Workers workers = new Workers();
        ProxyRegistry registry = new ProxyRegistry(workers);
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            ToxiproxyServer server = new ToxiproxyServer(workers, registry, ApiServer.start(address, registry, workers));
            LiveServers.started(server.apiUri(), registry::names);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Toxiproxy API on " + host + ":" + port, e);
        }
    }

    /** The address the API is bound to, as a literal (e.g. {@code 127.0.0.1}). */
    public String host() {
        return api.address().getAddress().getHostAddress();
    }

    public int port() {
        return api.address().getPort();
    }

    /** For example {@code http://127.0.0.1:41234}. */
    public URI apiUri() {
        InetAddress address = api.address().getAddress();
        String host = address instanceof Inet6Address ? "[" + host() + "]" : host();
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * A new toxiproxy-java client for this server. A fresh one per call, because a client's
     * {@code reset()} fails on any proxy it once saw that has since been deleted.
     */
    public ToxiproxyClient client() {
        return new ToxiproxyClient("http", host(), port());
    }

    /** Stops the API and every proxy, closes every socket and waits for every thread; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        URI address = apiUri();   // read while the API is bound
        api.stop();
        registry.close();
        if (!workers.joinAll(THREAD_EXIT_WAIT)) {
            LOG.warn("some toxiproxy threads did not end within {}", THREAD_EXIT_WAIT);
        }
        LiveServers.closed(address);
        closedLatch.countDown();
    }

    /**
     * Runs the server until the process is stopped: {@code [--host H] [--port P] [--config FILE]}
     * with defaults {@code 127.0.0.1} and {@code 8474}; {@code --help} prints usage. A bad flag
     * prints a message to stderr and exits with status 2; an address that cannot be bound, 1.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        CommandLine.Options options;
        try {
            options = CommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println("toxiproxy-server: " + e.getMessage());
            System.err.println(CommandLine.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(CommandLine.usage());
            return;
        }
        if (options.version()) {
            System.out.println("2.12.0 (resilient-http faults)");
            return;
        }
        ToxiproxyServer server;
        try {
            server = start(options.host(), options.port());
        } catch (UncheckedIOException e) {
            System.err.println("toxiproxy-server: " + e.getMessage() + ": " + e.getCause().getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "toxiproxy-shutdown"));
        if (options.config().isPresent()) {
            try {
                RestCalls.send(server.apiUri(), "POST", "/populate", Files.readString(options.config().get()));
            } catch (IOException e) {
                System.err.println("toxiproxy-server: cannot load " + options.config().get() + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        System.out.println("toxiproxy-server (resilient-http faults) API listening on " + server.apiUri());
        server.awaitClose();
    }

    private void awaitClose() {
        try {
            closedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
