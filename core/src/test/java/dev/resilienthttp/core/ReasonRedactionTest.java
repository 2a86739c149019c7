package dev.resilienthttp.core;

import dev.resilienthttp.core.fixtures.Behaviour;
import dev.resilienthttp.core.fixtures.ScriptedHttpServer;
import dev.resilienthttp.core.fixtures.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a failure says never carries a secret the request's URI held: credentials, query, a webhook token in the
 * path, a session parameter, an e-mail address, or what the client's own pattern names. Checked in every place a
 * person or a pipeline reads it: {@code failReason()}, the exception's message and {@code toString()}, the report's
 * URI, each attempt's message, and the log lines.
 */
class ReasonRedactionTest {
    private static final List<String> SECRETS = List.of("s3cret", "XyZ123abcDEF456ghiJKL789", "AB12CD34",
            "jane.doe@example.org", "jane.doe%40example.org", "c-4711", "sig=");

    @ParameterizedTest
    @EnumSource(Sending.class)
    void noSecretOfTheUriReachesAnythingTheFailureSays(Sending sending) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start(Behaviour.resetBeforeResponse());
             ResilientHttpClient client = ResilientHttpClient.builder().userAgent("core-tests/1.0 (ops@example.org)")
                     .preferHttp1().redact(Pattern.compile("(?<=/customers/)[^/]+")).build()) {
            URI uri = URI.create("http://bot:s3cret@127.0.0.1:" + server.port()
                    + "/customers/c-4711/hooks/XyZ123abcDEF456ghiJKL789;jsessionid=AB12CD34/users/"
                    + "jane.doe%40example.org?sig=abc");
            HttpRequest post = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            Throwable thrown;
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));   // slf4j-simple writes here
            try {
                thrown = catchThrowable(() -> sending.call(client, post, BodyHandlers.ofString()));
            } finally {
                System.setErr(stderr);
            }

            assertThat(thrown).isInstanceOf(HttpFailureException.class);
            HttpFailureException failure = (HttpFailureException) thrown;
            FailureReport report = failure.report();
            assertThat(report.uri()).isEqualTo("http://127.0.0.1:" + server.port()
                    + "/customers/<redacted>/hooks/<redacted>;jsessionid=<redacted>/users/<redacted>");
            String log = logged.toString(StandardCharsets.UTF_8);
            // Both lines are DEBUG; core's tests write the client's DEBUG lines (core/pom.xml).
            assertThat(log).as("the attempt's and the call's log lines were written").contains("attempt failed")
                    .contains("call failed");
            for (String said : List.of(report.failReason(), failure.getMessage(), failure.toString(),
                    report.toString(), report.timeline().get(0).exceptionMessage(), log)) {
                assertThat(said).doesNotContain(SECRETS);
            }
        }
    }
}
