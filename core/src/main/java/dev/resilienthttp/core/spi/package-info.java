/**
 * The SPIs: what a {@link dev.resilienthttp.core.spi.CallPolicy} implements and sees of a call (the retry module's
 * {@code RetryPolicy} is its implementation), and what an {@link dev.resilienthttp.core.spi.Instrumentation}
 * implements to trace a call attempt by attempt (the OpenTelemetry module's is its implementation). Users of the
 * client never need either.
 */
package dev.resilienthttp.core.spi;
