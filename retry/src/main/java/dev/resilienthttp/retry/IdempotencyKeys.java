package dev.resilienthttp.retry;

import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.UUID;

/**
 * Makes a POST or PATCH safe to retry: an {@code Idempotency-Key} header (IETF draft
 * draft-ietf-httpapi-idempotency-key-header; Stripe's practice) lets the server recognise a repeat. The key must
 * stay the same on every attempt, and on every redelivery of the same event: derive it from the event's id when
 * there is one.
 */
public final class IdempotencyKeys {
    /** The header's name. */
    public static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    /** The request with a fresh random key, unless it has a key already. */
    public static HttpRequest withFreshKey(HttpRequest request) {
        return withKey(request, UUID.randomUUID().toString());
    }

    /**
     * The request with {@code key}, unless it has a key already (the first key is the one the server knows). A blank
     * key is no key, for the client as for a server: it is replaced.
     */
    public static HttpRequest withKey(HttpRequest request, String key) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("an idempotency key must not be blank");
        }
        if (request.headers().firstValue(HEADER).filter(existing -> !existing.isBlank()).isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(HEADER)).header(HEADER, key)
                .build();
    }
}
