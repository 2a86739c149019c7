/**
 * Fault injection for tests: {@link dev.resilienthttp.faults.ToxiproxyServer}, an in-JVM server
 * speaking Toxiproxy 2.x's REST API (drive it with the real {@code toxiproxy-java} client), and
 * {@link dev.resilienthttp.faults.ToxiproxyTest}, a JUnit 5 extension that hands tests a client
 * for it, or for a real Toxiproxy when {@code TOXIPROXY_URL} is set.
 *
 * <p>Addresses are {@code host:port} strings as Toxiproxy prints them. Times are
 * {@link java.time.Duration}s in our own API and milliseconds in Toxiproxy's attributes (slicer's
 * delay is in microseconds). Nothing here accepts or returns null.
 *
 * <p>One toxic is ours, not Toxiproxy's: {@code idle_reset}, see
 * {@link dev.resilienthttp.faults.ToxiproxyEndpoint#addIdleReset}.
 */
package dev.resilienthttp.faults;
