package dev.resilienthttp.faults.internal.toxic;

/** {@code noop}, and the chain's place for {@code idle_reset}, whose effect the connection applies. */
final class PassThroughStage implements Stage {
    @Override
    public void start(ToxicSpec spec, long now) {
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        next.emit(chunk);
    }
}
