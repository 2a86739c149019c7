/**
 * The instances of one service as one caller: a 403 latch, a {@code Retry-After} hold and a person's unblock on one
 * instance reach every instance through a compacted Kafka topic.
 */
module dev.resilienthttp.fleet {
    requires transitive dev.resilienthttp.retry;
    requires kafka.clients;
    requires org.slf4j;

    exports dev.resilienthttp.fleet;
}
