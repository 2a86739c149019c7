/**
 * Test your own code against faults the way resilient-http tests itself.
 *
 * <ul>
 *   <li>{@link dev.resilienthttp.testkit.Sending}: each scenario through {@code send} and {@code sendAsync}, as one
 *       {@code @EnumSource} parameter.</li>
 *   <li>{@link dev.resilienthttp.testkit.RecordingListener}: an {@code HttpEventListener} that writes each event
 *       down and checks every call's events against the order and pairing {@code HttpEventListener} documents.</li>
 *   <li>{@link dev.resilienthttp.testkit.CheckLeaks} ({@link dev.resilienthttp.testkit.LeakCheck}): fails a test
 *       that leaves a connection, a JDK client thread, a Toxiproxy server or a proxy open.</li>
 *   <li>{@link dev.resilienthttp.testkit.OpenSockets}: the process's open network sockets, where the OS shows
 *       them.</li>
 * </ul>
 *
 * <p>The fault proxy itself ({@code ToxiproxyServer}, {@code @ToxiproxyTest}, {@code Await}) is in
 * {@code dev.resilienthttp.faults}, which this module brings along. Attempts are 1-based, as in
 * {@code dev.resilienthttp.core}. Bounds are {@link java.time.Duration}s; nothing here waits without one. Nothing
 * accepts or returns null.
 */
package dev.resilienthttp.testkit;
