package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Chunk;
import dev.resilienthttp.faults.internal.toxic.Emitter;
import dev.resilienthttp.faults.internal.toxic.LinkControl;
import dev.resilienthttp.faults.internal.toxic.Stage;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of one link, in toxic order, ending in the link's writer. Only the link's pipeline
 * thread touches it. Each stage draws its toxicity when it starts and again on every update
 * (Toxiproxy decides per connection and direction, not per chunk).
 */
final class Chain {
    private static final class Slot {
        ToxicSpec spec;
        final Stage stage;
        boolean active;

        Slot(ToxicSpec spec, Stage stage) {
            this.spec = spec;
            this.stage = stage;
        }
    }

    private final LinkControl link;
    private final Emitter writer;
    private List<Slot> slots = List.of();
    private Emitter head;

    Chain(LinkControl link, Emitter writer) {
        this.link = link;
        this.writer = writer;
        this.head = writer;
    }

    /**
     * Moves to {@code specs}: kept toxics keep their stage (and its state), changed ones restart
     * with the new values, new ones start fresh, removed ones are told so (a timeout ends the link).
     */
    void apply(List<ToxicSpec> specs, long now) {
        Map<String, Slot> old = new HashMap<>();
        slots.forEach(slot -> old.put(slot.spec.name(), slot));
        List<Slot> next = new ArrayList<>();
        for (ToxicSpec spec : specs) {
            Slot slot = old.remove(spec.name());
            if (slot != null && slot.spec.type() != spec.type()) {
                slot.stage.removed(link);
                slot = null;
            }
            if (slot == null) {
                slot = new Slot(spec, spec.type().newStage());
                start(slot, now);
            } else if (!slot.spec.equals(spec)) {
                slot.spec = spec;
                start(slot, now);
            }
            next.add(slot);
        }
        old.values().forEach(slot -> slot.stage.removed(link));
        slots = List.copyOf(next);
        head = emitterAt(0);
    }

    private void start(Slot slot, long now) {
        slot.active = link.random().nextFloat() < slot.spec.toxicity();
        slot.stage.start(slot.spec, now);
    }

    void push(Chunk chunk) {
        head.emit(chunk);
    }

    long nextWake() {
        long wake = Stage.NEVER;
        for (Slot slot : slots) {
            if (slot.active) {
                wake = Math.min(wake, slot.stage.wakeAt());
            }
        }
        return wake;
    }

    void wake(long now) {
        for (Slot slot : slots) {
            if (slot.active && slot.stage.wakeAt() != Stage.NEVER && now - slot.stage.wakeAt() >= 0) {
                slot.stage.wake(now, link);
            }
        }
    }

    private Emitter emitterAt(int index) {
        if (index == slots.size()) {
            return writer;
        }
        Slot slot = slots.get(index);
        Emitter rest = emitterAt(index + 1);
        return chunk -> {
            if (link.ended()) {
                return;
            }
            if (slot.active) {
                slot.stage.accept(chunk, rest, link);
            } else {
                rest.emit(chunk);
            }
        };
    }
}
