package dev.resilienthttp.faults.internal.api;

import dev.resilienthttp.faults.internal.proxy.FaultProxy;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Proxies and toxics as Toxiproxy 2.12 prints them, keys in Go's order. */
final class Representations {
    private Representations() {
    }

    static Map<String, Object> proxy(FaultProxy proxy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", proxy.name());
        json.put("listen", proxy.listen());
        json.put("upstream", proxy.upstream());
        json.put("enabled", proxy.enabled());
        json.put("toxics", toxics(proxy.toxics()));
        return json;
    }

    static List<Object> proxies(List<FaultProxy> proxies) {
        return proxies.stream().map(Representations::proxy).collect(Collectors.toList());
    }

    /** Name to proxy, in name order (the registry lists them sorted, as Go prints map keys). */
    static Map<String, Object> proxiesByName(List<FaultProxy> proxies) {
        Map<String, Object> json = new LinkedHashMap<>();
        proxies.forEach(p -> json.put(p.name(), proxy(p)));
        return json;
    }

    /** Every attribute of the type is present: toxiproxy-java fails on a missing one. */
    static Map<String, Object> toxic(ToxicSpec toxic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("attributes", new LinkedHashMap<String, Object>(toxic.attributes()));
        json.put("name", toxic.name());
        json.put("type", toxic.type().wireName());
        json.put("stream", toxic.stream());
        json.put("toxicity", toxic.toxicity());
        return json;
    }

    static List<Object> toxics(List<ToxicSpec> toxics) {
        return toxics.stream().map(Representations::toxic).collect(Collectors.toList());
    }
}
