package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.json.JsonException;
import dev.resilienthttp.faults.internal.json.JsonFields;
import dev.resilienthttp.faults.internal.proxy.ApiException;
import dev.resilienthttp.faults.internal.proxy.FaultProxy;
import dev.resilienthttp.faults.internal.proxy.PopulateResult;
import dev.resilienthttp.faults.internal.proxy.ProxyDraft;
import dev.resilienthttp.faults.internal.proxy.ProxyRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /proxies}, {@code /proxies/{p}}, {@code /populate} and {@code /reset}. */
final class ProxyRoutes {
    private final ProxyRegistry registry;

    ProxyRoutes(ProxyRegistry registry) {
        this.registry = registry;
    }

    Response list() {
        return Response.json(200, Representations.proxiesByName(registry.list()));
    }

    /** 201, not 200, as Go answers. */
    Response create(Request request) throws ApiException {
        ProxyDraft draft = Bodies.proxyDraft(Bodies.object(request.body()));
        return Response.json(201, Representations.proxy(registry.create(draft)));
    }

    Response show(String name) throws ApiException {
        return Response.json(200, Representations.proxy(registry.get(name)));
    }

    /** POST or PATCH: only listen, upstream and enabled are read, and merged over the current values. */
    Response update(String name, Request request) throws ApiException {
        registry.get(name);
        JsonFields json = Bodies.object(request.body());
        FaultProxy proxy;
        try {
            proxy = registry.update(name, json.string("listen"), json.string("upstream"), json.bool("enabled"));
        } catch (JsonException e) {
            throw ApiException.badRequest("bad request body: " + e.getMessage());
        }
        return Response.json(200, Representations.proxy(proxy));
    }

    Response delete(String name) throws ApiException {
        registry.delete(name);
        return Response.noContent();
    }

    /** toxiproxy-java posts no body at all here, which must work. */
    Response reset() throws ApiException {
        registry.reset();
        return Response.noContent();
    }

    /** An empty array answers {@code {"proxies":null}}: Go's nil slice. */
    Response populate(Request request) throws ApiException {
        List<ProxyDraft> drafts = new ArrayList<>();
        for (JsonFields entry : Bodies.array(request.body())) {
            drafts.add(Bodies.proxyDraft(entry));
        }
        PopulateResult result = registry.populate(drafts);
        Object proxies = result.proxies().isEmpty() ? null : Representations.proxies(result.proxies());
        if (result.error().isPresent()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("proxies", proxies);
            return Response.error(result.error().get(), extra);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("proxies", proxies);
        return Response.json(201, body);
    }
}
