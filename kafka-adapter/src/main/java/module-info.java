/** Routes events whose HTTP call failed to error or dead-letter topics, with no loss. */
module dev.resilienthttp.kafka {
    requires transitive dev.resilienthttp.core;

    // exports dev.resilienthttp.kafka once the package has its first type (javac refuses to export an empty package)
}
