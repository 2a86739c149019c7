package dev.resilienthttp.faults.internal.toxic;

/**
 * Forwards bytes until this link has carried {@code bytes} of them, cutting the chunk that
 * crosses the limit, then ends the link. The count belongs to the link and survives updates.
 */
final class LimitDataStage implements Stage {
    private long limit;
    private long transmitted;

    @Override
    public void start(ToxicSpec spec, long now) {
        limit = spec.attribute("bytes");
    }

    @Override
    public void accept(Chunk chunk, Emitter next, LinkControl link) {
        if (chunk.isEnd()) {
            next.emit(chunk);
            return;
        }
        long remaining = limit - transmitted;
        if (remaining <= 0) {
            link.end();
            return;
        }
        Chunk allowed = chunk.length() <= remaining ? chunk : chunk.slice(0, (int) remaining);
        transmitted += allowed.length();
        next.emit(allowed);
        if (transmitted >= limit) {
            link.end();
        }
    }
}
