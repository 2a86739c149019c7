/**
 * The test kit users add to test their own code against faults: everything of {@code dev.resilienthttp.faults} (the
 * in-JVM Toxiproxy, its JUnit 5 extension, {@code Await}), and what the project's own tests are built on.
 *
 * <p>Only {@code dev.resilienthttp.testkit} is exported.
 */
module dev.resilienthttp.testkit {
    requires transitive dev.resilienthttp.core;
    requires transitive dev.resilienthttp.faults;
    requires transitive org.junit.jupiter.api;

    exports dev.resilienthttp.testkit;
}
