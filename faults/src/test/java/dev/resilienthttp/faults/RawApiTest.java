package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What toxiproxy-java does not show: exact statuses, bodies and headers (spec §2.1-2.3, §5.1 A1-A6, A33-A40). */
@ToxiproxyTest
class RawApiTest {
    private final URI api;

    RawApiTest(ToxiproxyEndpoint endpoint) {
        this.api = endpoint.apiUri();
    }

    @Test
    void versionIsJsonWithAVersionString() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "GET", "/version", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).matches("(?s)\\{\"version\": ?\"[^\"]+\"\\}\\s*");
    }

    @Test
    void emptyServerListsAnEmptyObject() throws IOException {
        RawHttp.Reply reply = RawHttp.send(api, "GET", "/proxies", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.body().trim()).isEqualTo("{}");
    }

    @Test
    void createProxyAnswers201AndToxicCreateAnswers200AndDeletesAnswer204WithNoBody() throws IOException {
        RawHttp.Reply created = RawHttp.send(api, "POST", "/proxies",
                "{\"name\":\"codes\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");
        RawHttp.Reply toxic = RawHttp.send(api, "POST", "/proxies/codes/toxics",
                "{\"type\":\"latency\",\"attributes\":{\"latency\":5}}");
        RawHttp.Reply toxicDeleted = RawHttp.send(api, "DELETE", "/proxies/codes/toxics/latency_downstream", null);
        RawHttp.Reply reset = RawHttp.send(api, "POST", "/reset", null);
        RawHttp.Reply proxyDeleted = RawHttp.send(api, "DELETE", "/proxies/codes", null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(toxic.status()).isEqualTo(200);
        assertThat(toxic.body()).contains("\"name\":\"latency_downstream\"").contains("\"jitter\":0");
        assertThat(toxicDeleted.status()).isEqualTo(204);
        assertThat(toxicDeleted.body()).isEmpty();
        assertThat(reset.status()).isEqualTo(204);
        assertThat(proxyDeleted.status()).isEqualTo(204);
        assertThat(proxyDeleted.body()).isEmpty();
    }

    @Test
    void unknownProxyAndToxicGive404WithJsonErrorBodies() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"p\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");

        assertError(RawHttp.send(api, "GET", "/proxies/nope", null), 404, "proxy not found");
        assertError(RawHttp.send(api, "DELETE", "/proxies/nope", null), 404, "proxy not found");
        assertError(RawHttp.send(api, "POST", "/proxies/nope/toxics", "{\"type\":\"noop\"}"), 404, "proxy not found");
        assertError(RawHttp.send(api, "GET", "/proxies/p/toxics/nope", null), 404, "toxic not found");
        assertError(RawHttp.send(api, "POST", "/proxies/p/toxics/nope", "{}"), 404, "toxic not found");
        assertError(RawHttp.send(api, "DELETE", "/proxies/p/toxics/nope", null), 404, "toxic not found");
    }

    @Test
    void duplicateProxyAndToxicGive409WithJsonErrorBodies() throws IOException {
        String proxy = "{\"name\":\"twin\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}";
        RawHttp.send(api, "POST", "/proxies", proxy);
        RawHttp.send(api, "POST", "/proxies/twin/toxics", "{\"name\":\"t\",\"type\":\"noop\"}");

        assertError(RawHttp.send(api, "POST", "/proxies", proxy), 409, "proxy already exists");
        assertError(RawHttp.send(api, "POST", "/proxies/twin/toxics", "{\"name\":\"t\",\"type\":\"latency\",\"stream\":\"upstream\"}"),
                409, "toxic already exists");
    }

    @Test
    void missingNameOrUpstreamGives400() throws IOException {
        assertError(RawHttp.send(api, "POST", "/proxies", "{\"upstream\":\"127.0.0.1:1\"}"), 400,
                "missing required field: name");
        assertError(RawHttp.send(api, "POST", "/proxies", "{\"name\":\"x\"}"), 400, "missing required field: upstream");
    }

    @Test
    void unnamedToxicsAreNamedAfterTypeAndStreamInBothDirections() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"n\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");

        RawHttp.send(api, "POST", "/proxies/n/toxics", "{\"type\":\"latency\",\"stream\":\"upstream\"}");
        RawHttp.send(api, "POST", "/proxies/n/toxics", "{\"type\":\"latency\",\"stream\":\"downstream\"}");
        RawHttp.Reply noop = RawHttp.send(api, "POST", "/proxies/n/toxics", "{\"name\":\"quiet\",\"type\":\"noop\"}");

        String list = RawHttp.send(api, "GET", "/proxies/n/toxics", null).body();
        assertThat(list).contains("\"name\":\"latency_upstream\"").contains("\"name\":\"latency_downstream\"");
        assertThat(noop.body()).contains("\"stream\":\"downstream\"").contains("\"toxicity\":1");
    }

    @Test
    void toxicUpdateMergesAttributesKeepsToxicityAndIgnoresNameTypeAndStream() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"m\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");
        RawHttp.send(api, "POST", "/proxies/m/toxics",
                "{\"name\":\"lag\",\"type\":\"latency\",\"toxicity\":1,\"attributes\":{\"latency\":100,\"jitter\":10}}");

        RawHttp.send(api, "POST", "/proxies/m/toxics/lag", "{\"attributes\":{\"latency\":1000},\"toxicity\":0.5}");
        RawHttp.Reply patched = RawHttp.send(api, "PATCH", "/proxies/m/toxics/lag",
                "{\"name\":\"other\",\"type\":\"timeout\",\"stream\":\"upstream\",\"attributes\":{\"latency\":500}}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body()).isEqualTo("{\"attributes\":{\"latency\":500,\"jitter\":10},\"name\":\"lag\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":0.5}");
    }

    @Test
    void patchUpdatesAProxyLikePost() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"pt\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");

        RawHttp.Reply reply = RawHttp.send(api, "PATCH", "/proxies/pt", "{\"enabled\":false}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("\"enabled\":false").contains("\"toxics\":[]");
    }

    @Test
    void streamIsEchoedExactlyAsSent() throws IOException {
        RawHttp.send(api, "POST", "/proxies", "{\"name\":\"s\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");

        RawHttp.Reply reply = RawHttp.send(api, "POST", "/proxies/s/toxics", "{\"type\":\"noop\",\"stream\":\"Upstream\"}");

        assertThat(reply.body()).contains("\"name\":\"noop_Upstream\"").contains("\"stream\":\"Upstream\"");
    }

    @Test
    void browsersGet403AndOtherAgentsDoNot() throws IOException {
        RawHttp.Reply browser = RawHttp.send(api, "GET", "/proxies", null, "Mozilla/5.0 (X11; Linux x86_64)");
        RawHttp.Reply wget = RawHttp.send(api, "GET", "/proxies", null, "Wget/2.1");

        assertThat(browser.status()).isEqualTo(403);
        assertThat(browser.body().trim()).isEqualTo("User agent not allowed");
        assertThat(wget.status()).isEqualTo(200);
    }

    @Test
    void unknownRouteGives404AndWrongMethodGives405() throws IOException {
        RawHttp.Reply unknown = RawHttp.send(api, "GET", "/nothing/here", null);
        RawHttp.Reply trailingSlash = RawHttp.send(api, "GET", "/proxies/", null);
        RawHttp.Reply wrongMethod = RawHttp.send(api, "DELETE", "/version", null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().trim()).isEqualTo("404 page not found");
        assertThat(trailingSlash.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
    }

    static void assertError(RawHttp.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.body().trim()).isEqualTo("{\"error\":\"" + message + "\",\"status\":" + status + "}");
    }
}
