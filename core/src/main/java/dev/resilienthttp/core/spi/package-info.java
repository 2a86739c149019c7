/**
 * The policy SPI: what a {@link dev.resilienthttp.core.spi.CallPolicy} implements and sees of a call. Users of the
 * client never need it; the retry module's {@code RetryPolicy} is its implementation.
 */
package dev.resilienthttp.core.spi;
