/**
 * Kafka adapter: runs a handler on each event with {@link dev.resilienthttp.kafka.ResilientEventProcessor}, maps a
 * failed call's {@code FailureReport} onto the event's {@code fail_count} and {@code fail_reason}
 * ({@link dev.resilienthttp.kafka.FailureFields}), routes it to the error or dead-letter topic
 * ({@link dev.resilienthttp.kafka.RoutingDecision}) without losing it, and moves dead-lettered events back
 * ({@link dev.resilienthttp.kafka.Redrive}).
 *
 * <h2>Contracts that hold for the whole package</h2>
 * <ul>
 *   <li><b>{@code fail_count} counts failed processing passes</b> of an event: 0 for a new event, 1 after its first
 *       routed failure. HTTP attempts within a pass are core's 1-based attempts and travel in the
 *       {@value dev.resilienthttp.kafka.FailureHeaders#ATTEMPTS} header, never in {@code fail_count}.</li>
 *   <li><b>At least once.</b> An offset is committed only after its record is handled or its routed copy is
 *       acknowledged; anything else may be processed again.</li>
 *   <li><b>Times are {@link java.time.Duration}s</b>; instants come from the injected {@link java.time.Clock}.</li>
 *   <li><b>Nothing is null</b> unless a method says it may be.</li>
 * </ul>
 */
package dev.resilienthttp.kafka;
