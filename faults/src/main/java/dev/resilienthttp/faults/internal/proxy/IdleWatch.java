package dev.resilienthttp.faults.internal.proxy;

import dev.resilienthttp.faults.internal.toxic.Direction;
import dev.resilienthttp.faults.internal.toxic.ToxicSpec;
import dev.resilienthttp.faults.internal.toxic.ToxicType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Our {@code idle_reset} toxic for one connection: a NAT gateway that forgets a connection once
 * no byte has crossed it, either way, for longer than {@code idle_ms}. After that the server's
 * bytes are dropped, and the client's next bytes are dropped and answered with RST.
 *
 * <p>Activity is counted whether or not the toxic exists, so one added to an idle connection
 * takes effect at once. It acts on the whole connection whatever stream it was filed under.
 */
final class IdleWatch {
    enum Verdict { PASS, DROP, RESET }

    private final Supplier<List<ToxicSpec>> toxics;
    private final Random random;
    private final Map<String, Boolean> drawn = new HashMap<>();
    private long lastActivity;
    private boolean forgotten;

    IdleWatch(Supplier<List<ToxicSpec>> toxics, Random random, long now) {
        this.toxics = toxics;
        this.random = random;
        this.lastActivity = now;
    }

    /** Called by a reader with each chunk it read, before the chunk enters the chain. */
    synchronized Verdict onBytes(Direction from, long now) {
        long idleLimit = idleLimitNanos();
        if (!forgotten && idleLimit != Long.MAX_VALUE && now - lastActivity > idleLimit) {
            forgotten = true;
        }
        if (forgotten) {
            return from == Direction.UPSTREAM ? Verdict.RESET : Verdict.DROP;
        }
        lastActivity = now;
        return Verdict.PASS;
    }

    /** The smallest {@code idle_ms} among the toxics that apply to this connection (toxicity drawn once). */
    private long idleLimitNanos() {
        long limit = Long.MAX_VALUE;
        for (ToxicSpec spec : toxics.get()) {
            if (spec.type() == ToxicType.IDLE_RESET
                    && drawn.computeIfAbsent(spec.name(), n -> random.nextFloat() < spec.toxicity())) {
                limit = Math.min(limit, TimeUnit.MILLISECONDS.toNanos(spec.attribute("idle_ms")));
            }
        }
        return limit;
    }
}
