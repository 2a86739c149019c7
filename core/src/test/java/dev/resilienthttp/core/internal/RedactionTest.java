package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RedactionTest {

    @Test
    void aUriLosesItsUserInfoQueryAndFragmentButKeepsHostPortAndPath() {
        URI uri = URI.create("https://bot:s3cret@api.example.org:8443/v1/articles/42?token=abc#frag");
        assertThat(Redaction.uri(uri)).isEqualTo("https://api.example.org:8443/v1/articles/42");
    }

    @Test
    void aMessageLosesCredentialsQueryStringsAndLineBreaks() {
        String message = "failed GET https://user:pw@h/p?api_key=XYZ\nAuthorization: Bearer abc.def password=hunter2";
        String safe = Redaction.text(message, 500);
        assertThat(safe)
                .doesNotContain("pw@", "XYZ", "abc.def", "hunter2", "\n")
                .contains("https://h/p", "<redacted>");
    }

    @Test
    void secretsInSnakeCaseJsonCookiesAndBarePathQueriesAreRedacted() {
        String message = "client_secret=abc refresh_token=xyz {\"password\":\"hunter2\"} "
                + "GET /v1/items?sig=AAA&X-Amz-Signature=BBB Cookie: a=1; session=s3cr3t";
        String safe = Redaction.text(message, 500);
        assertThat(safe).doesNotContain("abc", "xyz", "hunter2", "s3cr3t", "AAA", "BBB").contains("/v1/items");
    }

    @Test
    void everyExceptionsMessageIsMaskedTheSameWayWhateverItsPackageAndQuotedDataIsGone() {
        class JsonParseException extends java.io.IOException {
            private static final long serialVersionUID = 1L;

            JsonParseException(String message) {
                super(message);
            }
        }
        assertThat(Redaction.exceptionMessage(new JsonParseException("Unexpected '{\"ssn\":1}' at line 1"), 300))
                .isEqualTo("Unexpected <redacted> at line 1");
        assertThat(Redaction.exceptionMessage(new java.net.SocketException("Connection reset"), 300))
                .isEqualTo("Connection reset");
        assertThat(Redaction.exceptionMessage(new IllegalStateException("bad {\"card\":\"4111\"} for /u/jane@x.org"),
                300)).isEqualTo("bad <redacted> for /u/<redacted>");
        assertThat(Redaction.exceptionMessage(new IllegalArgumentException("the value has no 'event' record, "
                + "field \"fail_count\" missing, input '123-45-6789'"), 300))
                .as("a quoted name says what was wrong; quoted data goes")
                .isEqualTo("the value has no 'event' record, field \"fail_count\" missing, input <redacted>");
    }

    @Test
    void aPathThatMerelyContainsTheWordTokenIsKept() {
        assertThat(Redaction.text("POST https://h/oauth/token/refresh", 500)).isEqualTo("POST https://h/oauth/token/refresh");
    }

    @Test
    void aLongMessageIsCutToTheBoundWithAnEllipsis() {
        String safe = Redaction.text("x".repeat(1000), 100);
        assertThat(safe).hasSize(100).endsWith("\u2026");
    }

    @Test
    void aNullMessageIsEmpty() {
        assertThat(Redaction.text(null, 10)).isEmpty();
    }

    @Test
    void pathSegmentsThatLookLikeSecretsAreMaskedAndOrdinaryOnesKept() {
        URI webhook = URI.create("https://hooks.example.org/services/T0123ABC/B456DEF/XyZ123abcDEF456ghiJKL789");
        URI hex = URI.create("https://h/keys/0123456789abcdef0123456789abcdef01234567/rotate");

        assertThat(Redaction.uri(webhook)).isEqualTo("https://hooks.example.org/services/T0123ABC/B456DEF/<redacted>");
        assertThat(Redaction.uri(hex)).isEqualTo("https://h/keys/<redacted>/rotate");
        assertThat(Redaction.uri(URI.create("https://h/articles/article-00064/revisions/12345678901234567890")))
                .as("slugs and numbers are not secrets")
                .isEqualTo("https://h/articles/article-00064/revisions/12345678901234567890");
        assertThat(Redaction.uri(URI.create("https://h/items/123e4567-e89b-12d3-a456-426614174000")))
                .as("a UUID names a resource").endsWith("/123e4567-e89b-12d3-a456-426614174000");
    }

    @Test
    void pathParametersAndEmailAddressesAreMasked() {
        assertThat(Redaction.uri(URI.create("https://h/cart;jsessionid=A1B2C3D4E5/checkout")))
                .isEqualTo("https://h/cart;jsessionid=<redacted>/checkout");
        assertThat(Redaction.uri(URI.create("https://h/users/jane.doe@example.org/orders")))
                .isEqualTo("https://h/users/<redacted>/orders");
        assertThat(Redaction.uri(URI.create("https://h/users/jane.doe%40example.org/orders")))
                .isEqualTo("https://h/users/<redacted>/orders");
    }

    @Test
    void theSameShapesAreMaskedInAnyMessageAndMaskingTwiceChangesNothing() {
        String message = "POST https://h/hooks/XyZ123abcDEF456ghiJKL789;jsessionid=AB12 for jane@example.org failed";

        String safe = Redaction.text(message, 500);

        assertThat(safe).doesNotContain("XyZ123abcDEF456ghiJKL789", "AB12", "jane@example.org")
                .isEqualTo("POST https://h/hooks/<redacted>;jsessionid=<redacted> for <redacted> failed");
        assertThat(Redaction.text(safe, 500)).isEqualTo(safe);
    }

    @Test
    void aClientsOwnPatternMasksWhatTheBuiltInRulesCannotKnow() {
        Redactor redactor = new Redactor(List.of(Pattern.compile("(?<=/customers/)[^/]+")));

        assertThat(redactor.uri(URI.create("https://h/customers/c-4711/orders?x=1")))
                .isEqualTo("https://h/customers/<redacted>/orders");
        assertThat(redactor.text("GET https://h/customers/c-4711/orders", 100))
                .isEqualTo("GET https://h/customers/<redacted>/orders");
    }

    @Test
    void userInfoWithoutASchemeQueriesAfterAHostAndEncodedQueriesAreMaskedToo() {
        assertThat(Redaction.text("proxy user:pa55word@proxy.example.org:8080 failed", 500))
                .doesNotContain("pa55word").contains("proxy.example.org:8080");
        assertThat(Redaction.text("GET https://u:p@ss@10.0.0.1/a", 500)).doesNotContain("p@ss", "ss@").contains("10.0.0.1/a");
        assertThat(Redaction.text("PUT acct.blob.core.windows.net?sv=2024&sig=AbC", 500))
                .isEqualTo("PUT acct.blob.core.windows.net");
        assertThat(Redaction.text("GET /a%3Ftoken%3Dsecret", 500)).isEqualTo("GET /a");
        assertThat(Redaction.text("JSESSIONID=A1B2 and X-Amz-Signature: c0ffee", 500))
                .doesNotContain("A1B2", "c0ffee");
    }

    @Test
    void aLongMessageBuiltToMakeThePatternsBacktrackIsMadeSafeQuickly() {
        String[] hostile = {"token-".repeat(20_000), "a".repeat(100_000), "/".repeat(100_000),
                "x@".repeat(50_000), "https://" + "u:".repeat(50_000)};
        for (String message : hostile) {
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> Redaction.text(message, 300),
                    () -> "a message of " + message.length() + " characters");
        }
    }
}
