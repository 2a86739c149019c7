/** Retry policy and upstream protections for resilient-http, built on resilience4j. */
module dev.resilienthttp.retry {
    requires transitive dev.resilienthttp.core;

    // exports dev.resilienthttp.retry once the package has its first type (javac refuses to export an empty package)
}
