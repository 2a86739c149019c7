package dev.resilienthttp.kafka;

import dev.resilienthttp.core.FailureKind;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The route of a failed event and its new {@code fail_count}: a pure function of the failure's kind, the attempts the
 * pass made, the count so far and the limit. The processor applies it; nothing else decides a route.
 *
 * <table>
 *   <caption>The rules, in order</caption>
 *   <tr><th>kind</th><th>attempts</th><th>route</th><th>fail_count</th></tr>
 *   <tr><td>{@code BLOCKED}</td><td>any</td><td>{@link Route#PAUSE}</td><td>unchanged</td></tr>
 *   <tr><td>{@code CIRCUIT_OPEN}, {@code RETRY_BUDGET_EXHAUSTED}, {@code DEADLINE_EXCEEDED}</td><td>0</td>
 *       <td>{@link Route#HOLD}</td><td>unchanged</td></tr>
 *   <tr><td>permanent ({@code CLIENT_ERROR}, {@code PERMANENT_SERVER_ERROR}, {@code FORBIDDEN}, {@code IO_ERROR})</td>
 *       <td>any</td><td>{@link Route#DEAD_LETTER_TOPIC}</td><td>+1</td></tr>
 *   <tr><td>any other, new count &lt; {@code maxFailCount}</td><td>any</td><td>{@link Route#ERROR_TOPIC}</td>
 *       <td>+1</td></tr>
 *   <tr><td>any other, new count &ge; {@code maxFailCount}</td><td>any</td><td>{@link Route#DEAD_LETTER_TOPIC}</td>
 *       <td>+1</td></tr>
 * </table>
 *
 * <p>A pass that made a real attempt counts, whatever ended it: an event whose host always answers
 * {@code Retry-After: 60} reaches the dead-letter topic after {@code maxFailCount} passes. A held event that waited
 * {@code maxHold} goes to the error topic uncounted ({@link #afterHold}), and every error-topic route is capped by
 * the event's passes, counted or not ({@link #limitPasses}): no event cycles for ever.
 *
 * @param route     where the event goes
 * @param failCount its {@code fail_count} once routed
 */
public record RoutingDecision(Route route, int failCount) {
    /** Local protections: they say nothing about the event, only that the upstream should be left alone now. */
    private static final Set<FailureKind> NOT_THE_EVENTS_FAULT = EnumSet.of(FailureKind.CIRCUIT_OPEN,
            FailureKind.RETRY_BUDGET_EXHAUSTED, FailureKind.DEADLINE_EXCEEDED);

    /** Checks the fields. */
    public RoutingDecision {
        Objects.requireNonNull(route, "route");
        if (failCount < 0) {
            throw new IllegalArgumentException("failCount must not be negative, was " + failCount);
        }
    }

    /**
     * Decides the route of an event whose pass failed with {@code kind}.
     *
     * @param kind           the kind that ended the pass's HTTP call
     * @param attempts       the HTTP attempts the pass made (0 when a protection refused it first)
     * @param failCountSoFar the event's {@code fail_count} before this pass (0 for a new event)
     * @param maxFailCount   the count at which a transient failure goes to the dead-letter topic
     */
    public static RoutingDecision of(FailureKind kind, int attempts, int failCountSoFar, int maxFailCount) {
        Objects.requireNonNull(kind, "kind");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
        checkCounts(failCountSoFar, maxFailCount);
        // A blocked client fails every event the same way: routing them all would empty the topic for nothing.
        if (kind == FailureKind.BLOCKED) {
            return new RoutingDecision(Route.PAUSE, failCountSoFar);
        }
        // The protection refused the call, the event did not fail: wait where it is, without using up its passes.
        if (NOT_THE_EVENTS_FAULT.contains(kind) && attempts == 0) {
            return new RoutingDecision(Route.HOLD, failCountSoFar);
        }
        int failCount = plusOne(failCountSoFar);
        // The same request will fail again: a person must act, and the sooner they see it the better.
        if (!kind.isTransient()) {
            return new RoutingDecision(Route.DEAD_LETTER_TOPIC, failCount);
        }
        return new RoutingDecision(failCount < maxFailCount ? Route.ERROR_TOPIC : Route.DEAD_LETTER_TOPIC, failCount);
    }

    /** A held event that waited its longest: to the error topic, uncounted (it was never tried). */
    public static RoutingDecision afterHold(int failCountSoFar) {
        checkCounts(failCountSoFar, 1);
        return new RoutingDecision(Route.ERROR_TOPIC, failCountSoFar);
    }

    /** The decision for a failure that is the event's or the handler's, not the remote side's: dead-letter at once. */
    public static RoutingDecision permanent(int failCountSoFar) {
        checkCounts(failCountSoFar, 1);
        return new RoutingDecision(Route.DEAD_LETTER_TOPIC, plusOne(failCountSoFar));
    }

    /**
     * This decision, or the dead-letter topic if it is the error topic and this pass is the event's
     * {@code maxPasses}-th failed one, counted or not.
     *
     * @param pass      this pass's number among the event's failed passes, from 1
     * @param maxPasses the most failed passes an event makes before it is dead-lettered
     */
    public RoutingDecision limitPasses(int pass, int maxPasses) {
        if (pass < 1 || maxPasses < 1) {
            throw new IllegalArgumentException("pass and maxPasses count from 1, were " + pass + " and " + maxPasses);
        }
        return route == Route.ERROR_TOPIC && pass >= maxPasses
                ? new RoutingDecision(Route.DEAD_LETTER_TOPIC, failCount) : this;
    }

    /** Saturates: a count read from a record may be anything. */
    private static int plusOne(int count) {
        return count == Integer.MAX_VALUE ? count : count + 1;
    }

    private static void checkCounts(int failCountSoFar, int maxFailCount) {
        if (failCountSoFar < 0) {
            throw new IllegalArgumentException("failCountSoFar must not be negative, was " + failCountSoFar);
        }
        if (maxFailCount < 1) {
            throw new IllegalArgumentException("maxFailCount must be at least 1, was " + maxFailCount);
        }
    }
}
