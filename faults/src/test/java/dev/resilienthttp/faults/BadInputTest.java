package dev.resilienthttp.faults;

import static dev.resilienthttp.faults.RawApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad requests get their documented status and a JSON error, and the server keeps serving (spec §2.1, §2.8, §3.1). */
@ToxiproxyTest
class BadInputTest {
    private final ToxiproxyEndpoint endpoint;
    private final URI api;

    BadInputTest(ToxiproxyEndpoint endpoint) {
        this.endpoint = endpoint;
        this.api = endpoint.apiUri();
    }

    @BeforeEach
    void createProxy() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"bad\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");
    }

    @AfterEach
    void serverStillServes() throws IOException {
        assertThat(RawHttp.send(api, "GET", "/proxies/bad", null).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonGives400BadRequestBody() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "POST", "/proxies", "{\"name\": \"x\",");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).startsWith("{\"error\":\"bad request body: ").contains("\"status\":400");
    }

    @Test
    void emptyBodyGives400BadRequestBodyEof() throws IOException {
        assertError(RawHttp.send(api, "POST", "/proxies", ""), 400, "bad request body: EOF");
    }

    @Test
    void wrongValueTypeGives400() throws IOException {
        RawHttp.Reply proxy = RawHttp.send(api, "POST", "/proxies", "{\"name\":\"x\",\"upstream\":\"a:1\",\"enabled\":\"yes\"}");
        RawHttp.Reply toxic = RawHttp.send(api, "POST", "/proxies/bad/toxics",
                "{\"type\":\"latency\",\"attributes\":{\"latency\":\"slow\"}}");

        assertThat(proxy.status()).isEqualTo(400);
        assertThat(proxy.body()).startsWith("{\"error\":\"bad request body: ");
        assertThat(toxic.status()).isEqualTo(400);
        assertThat(toxic.body()).startsWith("{\"error\":\"bad request body: ");
    }

    @Test
    void unknownToxicTypeGives400InvalidToxicType() throws IOException {
        assertError(RawHttp.send(api, "POST", "/proxies/bad/toxics", "{\"type\":\"walrus\"}"), 400, "invalid toxic type");
        assertError(RawHttp.send(api, "POST", "/proxies/bad/toxics", "{\"name\":\"untyped\"}"), 400, "invalid toxic type");
    }

    @Test
    void badStreamGives400() throws IOException {
        String message = "stream was invalid, can be either upstream or downstream";

        assertError(RawHttp.send(api, "POST", "/proxies/bad/toxics", "{\"type\":\"noop\",\"stream\":\"walrustream\"}"),
                400, message);
        assertError(RawHttp.send(api, "POST", "/proxies/bad/toxics", "{\"type\":\"noop\",\"stream\":\"\"}"), 400, message);
    }

    /** Go recurses forever or panics on these; ours refuses them (JVM-only: do not crash a real server). */
    @Test
    void slicerAttributesThatWouldCrashGoGive400() throws IOException {
        assumeTrue(endpoint.inJvm(), "would crash a real Toxiproxy");

        RawHttp.Reply zeroAverage = RawHttp.send(api, "POST", "/proxies/bad/toxics",
                "{\"type\":\"slicer\",\"attributes\":{\"average_size\":0}}");
        RawHttp.Reply bigVariation = RawHttp.send(api, "POST", "/proxies/bad/toxics",
                "{\"type\":\"slicer\",\"attributes\":{\"average_size\":10,\"size_variation\":10}}");
        RawHttp.send(api, "POST", "/proxies/bad/toxics",
                "{\"name\":\"ok\",\"type\":\"slicer\",\"attributes\":{\"average_size\":10,\"size_variation\":2}}");
        RawHttp.Reply badUpdate = RawHttp.send(api, "POST", "/proxies/bad/toxics/ok", "{\"attributes\":{\"average_size\":1}}");
        RawHttp.Reply negativeRate = RawHttp.send(api, "POST", "/proxies/bad/toxics",
                "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":-1}}");

        assertThat(zeroAverage.status()).isEqualTo(400);
        assertThat(zeroAverage.body()).contains("average_size");
        assertThat(bigVariation.status()).isEqualTo(400);
        assertThat(bigVariation.body()).contains("size_variation");
        assertThat(badUpdate.status()).isEqualTo(400);
        assertThat(negativeRate.status()).isEqualTo(400);
        assertThat(RawHttp.send(api, "GET", "/proxies/bad/toxics/ok", null).body()).contains("\"average_size\":10");
    }

    @Test
    void takenPortGives500WithAJsonError() throws IOException {
        String listen = RawHttp.send(api, "GET", "/proxies/bad", null).body().replaceAll(".*\"listen\":\"([^\"]+)\".*", "$1");

        RawHttp.Reply reply = RawHttp.send(api, "POST", "/proxies",
                "{\"name\":\"clash\",\"listen\":\"" + listen.trim() + "\",\"upstream\":\"127.0.0.1:1\"}");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).matches("(?s)\\{\"error\":\"[^\"]+\",\"status\":500\\}\\s*");
    }

    @Test
    void unparsableListenOnUpdateGives500AndChangesNothing() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "POST", "/proxies/bad", "{\"listen\":\"local373\"}");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).contains("missing port in address");
        assertThat(RawHttp.send(api, "GET", "/proxies/bad", null).body()).contains("\"enabled\":true");
    }
}
