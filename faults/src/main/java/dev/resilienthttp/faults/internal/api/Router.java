package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.proxy.ApiException;
import dev.resilienthttp.faults.internal.proxy.ProxyRegistry;
import java.util.List;
import java.util.Set;

/**
 * Toxiproxy 2.12's routes (gorilla/mux): exact paths, no trailing slashes, path variables match
 * one segment. An unknown path is a plain-text 404; a known path with another method is an empty
 * 405. {@code PATCH} and {@code POST} both update.
 */
final class Router {
    /** What Go 2.12.0 reports; clients only print it. */
    static final String VERSION_BODY = "{\"version\": \"2.12.0\"}\n";

    private static final Set<String> READ_CREATE = Set.of("GET", "POST");
    private static final Set<String> READ_UPDATE_DELETE = Set.of("GET", "POST", "PATCH", "DELETE");

    private final ProxyRoutes proxies;
    private final ToxicRoutes toxics;

    Router(ProxyRegistry registry) {
        this.proxies = new ProxyRoutes(registry);
        this.toxics = new ToxicRoutes(registry);
    }

    Response route(Request request) throws ApiException {
        List<String> path = request.segments();
        String method = request.method();
        if (path.stream().anyMatch(String::isEmpty)) {
            return notFound();
        }
        switch (path.size()) {
            case 1:
                return top(path.get(0), method, request);
            case 2:
                if (!path.get(0).equals("proxies")) {
                    return notFound();
                }
                if (!READ_UPDATE_DELETE.contains(method)) {
                    return notAllowed();
                }
                return proxy(path.get(1), method, request);
            case 3:
                if (!path.get(0).equals("proxies") || !path.get(2).equals("toxics")) {
                    return notFound();
                }
                if (!READ_CREATE.contains(method)) {
                    return notAllowed();
                }
                return method.equals("GET") ? toxics.list(path.get(1)) : toxics.create(path.get(1), request);
            case 4:
                if (!path.get(0).equals("proxies") || !path.get(2).equals("toxics")) {
                    return notFound();
                }
                if (!READ_UPDATE_DELETE.contains(method)) {
                    return notAllowed();
                }
                return toxic(path.get(1), path.get(3), method, request);
            default:
                return notFound();
        }
    }

    private Response top(String name, String method, Request request) throws ApiException {
        switch (name) {
            case "version":
                return method.equals("GET") ? new Response(200, "application/json;charset=utf-8", VERSION_BODY)
                        : notAllowed();
            case "proxies":
                if (!READ_CREATE.contains(method)) {
                    return notAllowed();
                }
                return method.equals("GET") ? proxies.list() : proxies.create(request);
            case "populate":
                return method.equals("POST") ? proxies.populate(request) : notAllowed();
            case "reset":
                return method.equals("POST") ? proxies.reset() : notAllowed();
            default:
                return notFound();
        }
    }

    private Response proxy(String name, String method, Request request) throws ApiException {
        switch (method) {
            case "GET": return proxies.show(name);
            case "DELETE": return proxies.delete(name);
            default: return proxies.update(name, request);
        }
    }

    private Response toxic(String proxy, String toxic, String method, Request request) throws ApiException {
        switch (method) {
            case "GET": return toxics.show(proxy, toxic);
            case "DELETE": return toxics.delete(proxy, toxic);
            default: return toxics.update(proxy, toxic, request);
        }
    }

    private static Response notFound() {
        return Response.text(404, "404 page not found");
    }

    private static Response notAllowed() {
        return new Response(405, null, null);
    }
}
