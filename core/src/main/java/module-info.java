/**
 * resilient-http core: a JDK HttpClient that does not lose work to stale connections.
 *
 * <p>{@code dev.resilienthttp.core} is what users call; {@code dev.resilienthttp.core.spi} is what a policy
 * implements (the retry module's, or your own); {@code dev.resilienthttp.core.internal} is shared with the
 * sibling modules only (one origin key, one listener guard, one backoff), never with users. The warning that those
 * modules are not on core's own module path is expected: they depend on core, not the other way round.
 */
@SuppressWarnings("module")
module dev.resilienthttp.core {
    requires transitive java.net.http;
    requires transitive org.slf4j;   // failureLogLevel(org.slf4j.event.Level) is part of the API

    exports dev.resilienthttp.core;
    exports dev.resilienthttp.core.spi;
    exports dev.resilienthttp.core.internal to dev.resilienthttp.retry, dev.resilienthttp.kafka, dev.resilienthttp.fleet;
}
