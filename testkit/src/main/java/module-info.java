/** A Toxiproxy-compatible fault proxy inside the JVM, and a JUnit 5 extension for it. */
module dev.resilienthttp.testkit {
    requires transitive toxiproxy.java;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;

    exports dev.resilienthttp.testkit;
}
