package dev.resilienthttp.retry.internal;

import java.time.Duration;

/**
 * The protections' settings, checked and immutable. A zero or negative count switches a protection off.
 *
 * @param latchConsecutive      403s in a row that latch a host (0: no latch)
 * @param latchRatio            share of 403s in a full window that latches
 * @param latchWindow           responses the ratio is taken over
 * @param latchProbeInterval    after this, a blocked host lets one probe through ({@link Duration#ZERO}: never)
 * @param breakerFailureRatio   share (0 to 1) of failed calls in the window that opens the breaker (0: no breaker)
 * @param breakerWindow         calls the failure rate is taken over (also the minimum before it can open)
 * @param breakerOpenFor        how long an open breaker refuses calls before it lets probes through
 * @param breakerProbes         probe calls allowed while half-open
 * @param rateLimit             starting and highest permits per second per host (0: no limiter)
 * @param rateLimitFloor        the lowest permits per second a 429 can push the limiter to
 * @param budgetRatio           retries allowed per request in the budget window (negative: no budget)
 * @param budgetMinPerSecond    retries allowed per second whatever the traffic
 * @param budgetTtl             the budget window
 * @param maxRetryAfterHold     the longest a {@code Retry-After} holds a whole host (the policy's cap)
 * @param hostIdleExpiry        a host unused this long is forgotten, but for a BLOCKED latch or a hold in force
 * @param maxHosts              past this many hosts, those whose state holds nothing are forgotten, least used first
 * @param hostSweepEvery        how often, at most, a call looks for hosts to forget
 */
public record ProtectionSettings(int latchConsecutive, double latchRatio, int latchWindow, Duration latchProbeInterval,
                                 double breakerFailureRatio, int breakerWindow, Duration breakerOpenFor,
                                 int breakerProbes, int rateLimit, int rateLimitFloor, double budgetRatio,
                                 int budgetMinPerSecond, Duration budgetTtl, Duration maxRetryAfterHold,
                                 Duration hostIdleExpiry, int maxHosts, Duration hostSweepEvery) {
}
