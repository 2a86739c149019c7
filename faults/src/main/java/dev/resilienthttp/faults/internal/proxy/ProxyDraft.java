package dev.resilienthttp.faults.internal.proxy;

/** A proxy as a create or populate request describes it; {@code enabled} defaults to true upstream of here. */
public record ProxyDraft(String name, String listen, String upstream, boolean enabled) {
}
