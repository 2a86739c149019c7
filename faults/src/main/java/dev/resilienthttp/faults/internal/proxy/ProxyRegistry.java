package dev.resilienthttp.faults.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * All proxies by name. Every change goes through here under one lock, so API requests apply in
 * a single order; listing is by name because Go prints map keys sorted and clients rely on it.
 */
public final class ProxyRegistry {
    private final Workers workers;
    private final Map<String, FaultProxy> proxies = new TreeMap<>();

    public ProxyRegistry(Workers workers) {
        this.workers = workers;
    }

    public synchronized List<FaultProxy> list() {
        return List.copyOf(proxies.values());
    }

    /** The proxies' names, sorted. */
    public synchronized Set<String> names() {
        return new TreeSet<>(proxies.keySet());
    }

    public synchronized FaultProxy get(String name) throws ApiException {
        FaultProxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiException.notFound("proxy not found");
        }
        return proxy;
    }

    /** Checks in Go's order: fields, name in use, then bind (a proxy that cannot bind is not kept). */
    public synchronized FaultProxy create(ProxyDraft draft) throws ApiException {
        requireFields(draft, "");
        if (proxies.containsKey(draft.name())) {
            throw ApiException.conflict("proxy already exists");
        }
        FaultProxy proxy = new FaultProxy(draft.name(), draft.listen(), draft.upstream(), workers);
        if (draft.enabled()) {
            proxy.start();
        }
        proxies.put(draft.name(), proxy);
        return proxy;
    }

    /** Overlays the given fields on the proxy's current ones (a merge, never a replace). */
    public synchronized FaultProxy update(String name, Optional<String> listen, Optional<String> upstream,
            Optional<Boolean> enabled) throws ApiException {
        FaultProxy proxy = get(name);
        proxy.update(listen.orElse(proxy.listen()), upstream.orElse(proxy.upstream()),
                enabled.orElse(proxy.enabled()));
        return proxy;
    }

    public synchronized void delete(String name) throws ApiException {
        get(name).stop();
        proxies.remove(name);
    }

    /**
     * Go's {@code /reset}: in name order, enable each disabled proxy (a bind failure stops the
     * walk with a 500), then remove all its toxics. Live connections survive, except those a
     * removed timeout toxic closes.
     */
    public synchronized void reset() throws ApiException {
        for (FaultProxy proxy : proxies.values()) {
            proxy.start();
            proxy.removeAllToxics();
        }
    }

    /**
     * Go's {@code /populate}: validates every entry first (nothing is created on a 400), then
     * keeps identical proxies untouched, replaces changed ones with fresh proxies without toxics,
     * creates new ones, and stops at the first failure.
     */
    public synchronized PopulateResult populate(List<ProxyDraft> drafts) throws ApiException {
        for (int i = 0; i < drafts.size(); i++) {
            requireFields(drafts.get(i), " at proxy " + (i + 1));
        }
        List<FaultProxy> done = new ArrayList<>();
        for (ProxyDraft draft : drafts) {
            try {
                done.add(addOrReplace(draft));
            } catch (ApiException e) {
                return new PopulateResult(done, Optional.of(e));
            }
        }
        return new PopulateResult(done, Optional.empty());
    }

    private FaultProxy addOrReplace(ProxyDraft draft) throws ApiException {
        FaultProxy existing = proxies.get(draft.name());
        if (existing != null) {
            if (!existing.differs(draft.listen(), draft.upstream())) {
                return existing;
            }
            existing.stop();
        }
        FaultProxy proxy = new FaultProxy(draft.name(), draft.listen(), draft.upstream(), workers);
        if (draft.enabled()) {
            proxy.start();
        }
        proxies.put(draft.name(), proxy);
        return proxy;
    }

    /** Stops every proxy: listeners and connections closed. */
    public synchronized void close() {
        proxies.values().forEach(FaultProxy::stop);
        proxies.clear();
    }

    private static void requireFields(ProxyDraft draft, String where) throws ApiException {
        if (draft.name().isEmpty()) {
            throw ApiException.badRequest("missing required field: name" + where);
        }
        if (draft.upstream().isEmpty()) {
            throw ApiException.badRequest("missing required field: upstream" + where);
        }
    }
}
