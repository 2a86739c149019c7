package dev.resilienthttp.faults.internal.toxic;

/**
 * One toxic's place in one link's chain. A link calls its stages from a single thread, so a stage
 * keeps its per-connection state (limit_data's count, bandwidth's sleep debt) in plain fields.
 */
public interface Stage {
    /** {@link #wakeAt()} when a stage needs no timer. */
    long NEVER = Long.MAX_VALUE;

    /**
     * Called when the stage starts on a link and again when its toxic is updated; state that
     * Toxiproxy keeps across updates (limit_data's count) must survive it.
     */
    void start(ToxicSpec spec, long now);

    /** Handles one chunk or the end of stream, passing what survives to {@code next}. */
    void accept(Chunk chunk, Emitter next, LinkControl link);

    /** When the stage wants {@link #wake} called even if no chunk arrives. */
    default long wakeAt() {
        return NEVER;
    }

    default void wake(long now, LinkControl link) {
    }

    /** Called when the toxic is removed from a live link. */
    default void removed(LinkControl link) {
    }
}
