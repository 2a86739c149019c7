/** resilient-http core: a JDK HttpClient that does not lose work to stale connections. */
module dev.resilienthttp.core {
    requires transitive java.net.http;
    requires org.slf4j;

    exports dev.resilienthttp.core;
}
