package dev.resilienthttp.retry.internal;

import java.net.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a listener keeps for each call in flight, by the call's request object, with the status of the call's latest
 * attempt. The client gives each call a request object of its own ({@code HttpEventListener}), even when the caller
 * sends one object many times at once. Should events from elsewhere carry one object for two calls at once, their
 * entries queue under it, the first call to end takes the first, and an attempt's status goes to the latest: each
 * call still ends once. Thread-safe.
 *
 * @param <T> what is kept for a call, such as its timer
 */
public final class CallsInFlight<T> {
    private final Map<Key, Deque<Call<T>>> calls = new ConcurrentHashMap<>();

    /** {@code request}'s call started; {@code value} is kept for it until it ends. */
    public void started(HttpRequest request, T value) {
        Call<T> call = new Call<>(value);
        calls.compute(new Key(request), (key, queue) -> {
            Deque<Call<T>> entries = queue == null ? new ArrayDeque<>(1) : queue;
            entries.addLast(call);
            return entries;
        });
    }

    /**
     * An attempt of {@code request}'s call started ({@code status} 0: no response yet) or ended with {@code status}
     * (0 for none: a transport failure).
     */
    public void attempt(HttpRequest request, int status) {
        calls.computeIfPresent(new Key(request), (key, queue) -> {
            queue.getLast().lastStatus = status;
            return queue;
        });
    }

    /**
     * {@code request}'s call ended: what was kept for it, or {@code null} when nothing was (it ended already, or it
     * started before there was anything to keep).
     */
    public Call<T> ended(HttpRequest request) {
        @SuppressWarnings({"unchecked", "rawtypes"})   // a holder the lambda writes to: no generic array exists
        Call<T>[] first = new Call[1];
        calls.computeIfPresent(new Key(request), (key, queue) -> {
            first[0] = queue.pollFirst();
            return queue.isEmpty() ? null : queue;
        });
        return first[0];
    }

    /** One call in flight. */
    public static final class Call<T> {
        private final T value;
        private volatile int lastStatus;

        private Call(T value) {
            this.value = value;
        }

        /** What was kept for the call at its start. */
        public T value() {
            return value;
        }

        /** The status of the call's latest attempt: 0 when it got no response, or is in flight, or there was none. */
        public int lastStatus() {
            return lastStatus;
        }
    }

    /** A call's request by identity: two equal requests sent at once are two calls. */
    private static final class Key {
        private final HttpRequest request;

        Key(HttpRequest request) {
            this.request = request;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && ((Key) other).request == request;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(request);
        }
    }
}
