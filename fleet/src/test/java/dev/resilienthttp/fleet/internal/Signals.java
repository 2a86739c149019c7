package dev.resilienthttp.fleet.internal;

import java.time.Duration;
import java.time.Instant;

/** Records as instances write them, for the policy-side tests on virtual time; instance x's run is "run-x". */
final class Signals {
    static final String HOST = "api.example.org:443";
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    private Signals() {
    }

    static Signal blocked(String instance, Instant at) {
        return new Signal(Signal.What.BLOCKED, HOST, instance, run(instance), at, at.plus(HOUR), null,
                "20 consecutive 403s");
    }

    static Signal hold(String instance, Instant at, Instant until) {
        return new Signal(Signal.What.HOLD, HOST, instance, run(instance), at, until, until, "Retry-After");
    }

    static Signal lift(String instance, Instant at) {
        return new Signal(Signal.What.LIFT, HOST, instance, run(instance), at, at.plus(HOUR), null,
                "unblocked by hand");
    }

    static String run(String instance) {
        return "run-" + instance;
    }
}
