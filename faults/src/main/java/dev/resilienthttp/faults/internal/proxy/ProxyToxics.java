package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A proxy's toxics per direction, in insertion order: the template new connections start from.
 * Immutable snapshots in volatile fields, so readers (accept loop, idle watch) need no lock;
 * writers are serialised by the owning proxy.
 */
final class ProxyToxics {
    private volatile List<ToxicSpec> upstream = List.of();
    private volatile List<ToxicSpec> downstream = List.of();

    List<ToxicSpec> of(Direction direction) {
        return direction == Direction.UPSTREAM ? upstream : downstream;
    }

    /** Upstream toxics first, then downstream, each in insertion order, as Go lists them. */
    List<ToxicSpec> all() {
        List<ToxicSpec> all = new ArrayList<>(upstream);
        all.addAll(downstream);
        return all;
    }

    Optional<ToxicSpec> find(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    void add(ToxicSpec toxic) {
        set(toxic.direction(), append(of(toxic.direction()), toxic));
    }

    void replace(ToxicSpec toxic) {
        List<ToxicSpec> list = new ArrayList<>(of(toxic.direction()));
        list.replaceAll(t -> t.name().equals(toxic.name()) ? toxic : t);
        set(toxic.direction(), list);
    }

    void remove(ToxicSpec toxic) {
        List<ToxicSpec> list = new ArrayList<>(of(toxic.direction()));
        list.removeIf(t -> t.name().equals(toxic.name()));
        set(toxic.direction(), list);
    }

    void clear() {
        upstream = List.of();
        downstream = List.of();
    }

    private void set(Direction direction, List<ToxicSpec> list) {
        if (direction == Direction.UPSTREAM) {
            upstream = List.copyOf(list);
        } else {
            downstream = List.copyOf(list);
        }
    }

    private static List<ToxicSpec> append(List<ToxicSpec> list, ToxicSpec toxic) {
        List<ToxicSpec> copy = new ArrayList<>(list);
        copy.add(toxic);
        return copy;
    }
}
