package dev.resilienthttp.core;

import dev.resilienthttp.core.internal.JdkBodies;
import dev.resilienthttp.core.internal.OffloadedPublisher;
import dev.resilienthttp.core.internal.UserAgents;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The caller's request as it goes out: the same in every respect but a {@code User-Agent} added when it has none,
 * a timeout set when it has none, and a body that may block pulled on the client's worker threads
 * ({@link OffloadedPublisher}); and, as the JDK is given it, {@linkplain #untimed without the timeout}.
 *
 * <p>Why not {@code HttpRequest.newBuilder(request, filter)}: that copies every header twice and the body
 * publisher, about 950 bytes a call. This view shares the caller's request and copies the headers once, only to
 * add the agent; the JDK accepts any {@link HttpRequest} and copies the headers it sends in any case.
 *
 * <p>Every call gets a view of its own, even of a request that needs nothing added (32 bytes, nothing copied): the
 * call's listener events carry it, and a caller may send one request object many times at once.
 */
final class PreparedRequest extends HttpRequest {
    private static final String USER_AGENT = "User-Agent";

    private final HttpRequest original;
    private final HttpHeaders headers;
    private final Optional<Duration> timeout;
    private final Optional<BodyPublisher> body;

    private PreparedRequest(HttpRequest original, HttpHeaders headers, Optional<Duration> timeout,
                            Optional<BodyPublisher> body) {
        this.original = original;
        this.headers = headers;
        this.timeout = timeout;
        this.body = body;
    }

    /**
     * {@code request} with {@code userAgent} unless it has one, and {@code timeout} unless it has one: a new object
     * each time, never {@code request} itself.
     *
     * @param userAgent the client's {@code User-Agent}, as the one-value list every prepared request shares
     * @param timeout   the client's request timeout, as the {@code Optional} every prepared request shares
     * @param workers   where a body that may block is pulled, or {@code null} to leave it to the JDK's executor
     */
    static HttpRequest of(HttpRequest request, List<String> userAgent, Optional<Duration> timeout,
                          Executor workers) {
        HttpHeaders headers = request.headers();
        List<String> ownAgent = headers.map().get(USER_AGENT);   // case-insensitive: the map is the JDK's
        boolean hasAgent = ownAgent != null;
        if (hasAgent && !ownAgent.equals(userAgent)) {
            checkAgent(ownAgent);   // the request's own: operators block a library's default on it too
        }
        boolean hasTimeout = request.timeout().isPresent();
        Optional<BodyPublisher> body = request.bodyPublisher();
        boolean safeBody = workers == null || body.isEmpty() || JdkBodies.safe(body.get());
        return new PreparedRequest(request, hasAgent ? headers : withAgent(headers, userAgent),
                hasTimeout ? request.timeout() : timeout,
                safeBody ? body : Optional.of(new OffloadedPublisher(body.get(), workers)));
    }

    /** Refuses a request whose own {@code User-Agent} the client would have refused: a library's default, or none. */
    private static void checkAgent(List<String> agent) {
        try {
            UserAgents.check(agent.isEmpty() ? null : agent.get(0));
        } catch (IllegalStateException refused) {
            throw new IllegalArgumentException("the request's own User-Agent: " + refused.getMessage(), refused);
        }
    }

    /**
     * {@code prepared} as the JDK is given it: without a timeout, which the attempt's {@link AttemptDeadline} keeps
     * instead (for a request with a timeout the JDK registers a timer and wakes its selector thread).
     */
    static HttpRequest untimed(HttpRequest prepared) {
        if (prepared.timeout().isEmpty()) {
            return prepared;
        }
        HttpRequest original = prepared instanceof PreparedRequest ? ((PreparedRequest) prepared).original : prepared;
        return new PreparedRequest(original, prepared.headers(), Optional.empty(), prepared.bodyPublisher());
    }

    /**
     * {@code sent}, as {@link #untimed} made it, with {@code added} headers, each replacing one of the same name
     * (case-insensitively): one attempt's request when an instrumentation set headers on it.
     */
    static HttpRequest withHeaders(HttpRequest sent, Map<String, List<String>> added) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(sent.headers().map());
        all.putAll(added);
        HttpRequest original = sent instanceof PreparedRequest ? ((PreparedRequest) sent).original : sent;
        return new PreparedRequest(original, HttpHeaders.of(all, (name, value) -> true), sent.timeout(),
                sent.bodyPublisher());
    }

    private static HttpHeaders withAgent(HttpHeaders headers, List<String> userAgent) {
        return HttpHeaders.of(new WithAgent(headers.map(), userAgent), (name, value) -> true);
    }

    /** The caller's headers and the agent as one map, without a copy: {@code HttpHeaders.of} makes the only one. */
    private static final class WithAgent extends AbstractMap<String, List<String>> {
        private final Map<String, List<String>> headers;
        private final List<String> userAgent;

        WithAgent(Map<String, List<String>> headers, List<String> userAgent) {
            this.headers = headers;
            this.userAgent = userAgent;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super List<String>> action) {
            headers.forEach(action);
            action.accept(USER_AGENT, userAgent);
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet() {
            Map<String, List<String>> all = new LinkedHashMap<>(headers);
            all.put(USER_AGENT, userAgent);
            return all.entrySet();
        }
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
        return body;
    }

    @Override
    public String method() {
        return original.method();
    }

    @Override
    public Optional<Duration> timeout() {
        return timeout;
    }

    @Override
    public boolean expectContinue() {
        return original.expectContinue();
    }

    @Override
    public URI uri() {
        return original.uri();
    }

    @Override
    public Optional<HttpClient.Version> version() {
        return original.version();
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    /** As the JDK's own requests print: the URI and the method. */
    @Override
    public String toString() {
        return uri() + " " + method();
    }
}
