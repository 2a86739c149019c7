package dev.resilienthttp.faults.internal.toxic;

import java.util.Arrays;

/**
 * The bytes of one read from a link's source, stamped with the {@code nanoTime} they were read
 * (latency toxics move the stamp forward, so several of them add up), or the end of the stream.
 */
public final class Chunk {
    private final byte[] data;
    private final long stamp;

    private Chunk(byte[] data, long stamp) {
        this.data = data;
        this.stamp = stamp;
    }

    /** Takes ownership of {@code data}. */
    public static Chunk of(byte[] data, long stamp) {
        return new Chunk(data, stamp);
    }

    /** The source reached end of stream (or failed) at {@code stamp}. */
    public static Chunk end(long stamp) {
        return new Chunk(null, stamp);
    }

    public boolean isEnd() {
        return data == null;
    }

    /** The bytes; callers must not modify them. */
    public byte[] data() {
        return data;
    }

    public int length() {
        return data == null ? 0 : data.length;
    }

    public long stamp() {
        return stamp;
    }

    public Chunk withStamp(long newStamp) {
        return new Chunk(data, newStamp);
    }

    public Chunk slice(int from, int to) {
        return new Chunk(Arrays.copyOfRange(data, from, to), stamp);
    }
}
