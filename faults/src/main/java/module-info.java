/**
 * A Toxiproxy-compatible fault proxy inside the JVM, and a JUnit 5 extension for it.
 *
 * <p>Only {@code dev.resilienthttp.faults} is exported to users; the server's parts live in
 * {@code dev.resilienthttp.faults.internal.*}. Which servers are running is exported to the published test kit
 * alone, for its leak check; the warning that the test kit is not on this module's path is expected: it depends on
 * this module, not the other way round.
 */
@SuppressWarnings("module")
module dev.resilienthttp.faults {
    requires transitive toxiproxy.java;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;
    requires jdk.httpserver;

    exports dev.resilienthttp.faults;
    exports dev.resilienthttp.faults.internal.live to dev.resilienthttp.testkit;
}
