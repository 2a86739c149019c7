package dev.resilienthttp.core;

import org.slf4j.event.Level;
import dev.resilienthttp.core.internal.Generations;
import dev.resilienthttp.core.internal.Redactor;
import dev.resilienthttp.core.internal.Steps;
import dev.resilienthttp.core.internal.Ticker;
import dev.resilienthttp.core.spi.CallPolicy;
import dev.resilienthttp.core.spi.Instrumentation;

import java.time.Clock;
import java.time.Duration;

/**
 * What every call of one client shares.
 *
 * @param instrumentation the client's, or {@code null} when it has none
 * @param steps           where an asynchronous call's steps run when a thread that must not block sets them off
 */
record ClientContext(Generations generations, CallPolicy policy, HttpEventListener listener, Clock clock,
                     Ticker ticker, Duration readIdleTimeout, Redactor redactor, Level failureLogLevel,
                     Instrumentation instrumentation, Steps steps) {
}
