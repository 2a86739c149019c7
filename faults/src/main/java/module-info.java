/**
 * A Toxiproxy-compatible fault proxy inside the JVM, and a JUnit 5 extension for it.
 *
 * <p>Only {@code dev.resilienthttp.faults} is exported; the server's parts live in
 * {@code dev.resilienthttp.faults.internal.*}.
 */
module dev.resilienthttp.faults {
    requires transitive toxiproxy.java;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;
    requires jdk.httpserver;

    exports dev.resilienthttp.faults;
}
