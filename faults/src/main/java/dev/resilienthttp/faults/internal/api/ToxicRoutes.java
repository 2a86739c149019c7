package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.proxy.ApiException;
import dev.resilienthttp.faults.internal.proxy.FaultProxy;
import dev.resilienthttp.faults.internal.proxy.ProxyRegistry;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;

/** {@code /proxies/{p}/toxics} and {@code /proxies/{p}/toxics/{t}}; an unknown proxy is a 404 first. */
final class ToxicRoutes {
    private final ProxyRegistry registry;

    ToxicRoutes(ProxyRegistry registry) {
        this.registry = registry;
    }

    /** Upstream toxics first, then downstream ones, each in insertion order. */
    Response list(String proxy) throws ApiException {
        return Response.json(200, Representations.toxics(registry.get(proxy).toxics()));
    }

    /** 200, not 201, as Go answers. */
    Response create(String proxyName, Request request) throws ApiException {
        FaultProxy proxy = registry.get(proxyName);
        ToxicSpec toxic = Bodies.newToxic(Bodies.object(request.body()), proxy);
        proxy.addToxic(toxic);
        return Response.json(200, Representations.toxic(toxic));
    }

    Response show(String proxy, String toxic) throws ApiException {
        ToxicSpec spec = registry.get(proxy).toxic(toxic).orElseThrow(() -> ApiException.notFound("toxic not found"));
        return Response.json(200, Representations.toxic(spec));
    }

    Response update(String proxyName, String toxic, Request request) throws ApiException {
        FaultProxy proxy = registry.get(proxyName);
        if (proxy.toxic(toxic).isEmpty()) {
            throw ApiException.notFound("toxic not found");
        }
        var json = Bodies.object(request.body());
        ToxicSpec updated = proxy.updateToxic(toxic, current -> Bodies.updatedToxic(json, current));
        return Response.json(200, Representations.toxic(updated));
    }

    Response delete(String proxy, String toxic) throws ApiException {
        registry.get(proxy).removeToxic(toxic);
        return Response.noContent();
    }
}
