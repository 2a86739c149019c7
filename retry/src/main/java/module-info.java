/** Retry policy and upstream protections for resilient-http, built on resilience4j. */
module dev.resilienthttp.retry {
    requires transitive dev.resilienthttp.core;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.ratelimiter;
    requires io.github.resilience4j.core;
    requires org.slf4j;
    requires java.management;
    requires static transitive micrometer.core;

    exports dev.resilienthttp.retry;
}
