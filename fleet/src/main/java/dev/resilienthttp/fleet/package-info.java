/**
 * {@link dev.resilienthttp.fleet.FleetSignals}: the instances of one service share their 403 latches,
 * {@code Retry-After} holds and a person's unblock through a compacted Kafka topic, so that the API operators see one
 * caller that stops and waits as one.
 *
 * <h2>The control topic's records, version 1</h2>
 * The key is the host, {@code host:port} in UTF-8, as {@code RetryPolicy.blockedHosts()} names it: compaction keeps
 * each host's latest word. The value is UTF-8 text of at most 2,048 bytes: the line {@code resilient-http-fleet 1},
 * then one {@code name=value} per line, in any order:
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>{@code what}</td><td>{@code BLOCKED}, {@code HOLD} or {@code LIFT}</td></tr>
 *   <tr><td>{@code host}</td><td>the host; must be the key's</td></tr>
 *   <tr><td>{@code instance}</td><td>the writer's instance id, for people (it need not be unique)</td></tr>
 *   <tr><td>{@code run}</td><td>optional: a nonce the writer drew when it started, by which it knows its own
 *       records (a UUID; at most 64 characters)</td></tr>
 *   <tr><td>{@code at}</td><td>when it was written, ISO-8601 UTC ({@code 2026-11-21T10:15:30.120Z})</td></tr>
 *   <tr><td>{@code expires}</td><td>after this a {@code BLOCKED} or {@code HOLD} changes nothing for a reader; a
 *       {@code LIFT} never expires, and lifts only latches that closed no later than its {@code at}</td></tr>
 *   <tr><td>{@code until}</td><td>{@code HOLD} only: the end of the hold (it also expires then)</td></tr>
 *   <tr><td>{@code reason}</td><td>optional: why, one line of at most 300 characters</td></tr>
 * </table>
 * A reader ignores names it does not know. A record whose key or value is not of this form changes nothing and is
 * logged (once per 10 min). A record with a host's key and no value (a tombstone, which only a person writes) means
 * no word on the host: what was read of it is forgotten, and a latch already applied stays until it is lifted. Times
 * are the writer's wall clock: instances' clocks should agree within a second.
 *
 * <p>Contracts of the package: times are {@link java.time.Duration}s and {@link java.time.Instant}s; hosts are
 * {@code host:port}; nothing is null unless a method says so.
 */
package dev.resilienthttp.fleet;
