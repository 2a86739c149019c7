package dev.resilienthttp.faults.internal.toxic;

/** The rest of a link's chain after one stage: the next stage, or finally the writer. */
@FunctionalInterface
public interface Emitter {
    void emit(Chunk chunk);
}
