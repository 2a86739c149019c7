/** Routes events whose HTTP call failed to error or dead-letter topics, with no loss. */
module dev.resilienthttp.kafka {
    requires transitive dev.resilienthttp.core;
    requires transitive kafka.clients;
    requires transitive org.apache.avro;
    requires org.slf4j;

    exports dev.resilienthttp.kafka;
}
