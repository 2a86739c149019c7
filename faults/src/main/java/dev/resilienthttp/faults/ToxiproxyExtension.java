package dev.resilienthttp.faults;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class one Toxiproxy: the in-JVM {@link ToxiproxyServer} by default, or the
 * real Toxiproxy at {@code TOXIPROXY_URL} when that environment variable is set, so the same
 * tests run against either.
 *
 * <p>Resolves {@code ToxiproxyClient} and {@link ToxiproxyEndpoint} parameters of constructors,
 * {@code @BeforeEach} and test methods. After each test it deletes every proxy (so tests do not
 * interfere) and gives the next test a fresh client; after all tests it stops the in-JVM server.
 * Nested classes share their outermost class's server.
 */
public final class ToxiproxyExtension
        implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ToxiproxyExtension.class);

    /** JUnit creates it through {@link ToxiproxyTest} or {@code @ExtendWith}. */
    public ToxiproxyExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        handle(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ToxiproxyEndpoint endpoint = handle(context).endpoint();
        for (Proxy proxy : endpoint.client().getProxies()) {
            proxy.delete();
        }
        endpoint.renewClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext outermost = outermost(context);
        if (outermost == context) {
            ServerHandle handle = outermost.getStore(NAMESPACE).remove(ServerHandle.class, ServerHandle.class);
            if (handle != null) {
                handle.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ToxiproxyClient.class || type == ToxiproxyEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ToxiproxyEndpoint endpoint = handle(context).endpoint();
        return parameter.getParameter().getType() == ToxiproxyClient.class ? endpoint.client() : endpoint;
    }

    /** Created on first use, whichever callback comes first (a per-class instance is built before beforeAll). */
    private static ServerHandle handle(ExtensionContext context) {
        return outermost(context).getStore(NAMESPACE)
                .getOrComputeIfAbsent(ServerHandle.class, key -> ServerHandle.open(System.getenv()), ServerHandle.class);
    }

    /** The context of the outermost test class: its parent is the engine's root context. */
    private static ExtensionContext outermost(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().isPresent() && current.getParent().get().getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
