package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

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
    void onlyTheJdksOwnExceptionMessagesAreKeptBecauseOthersMayQuoteTheBody() {
        class JsonParseException extends java.io.IOException {
            private static final long serialVersionUID = 1L;

            JsonParseException(String message) {
                super(message);
            }
        }
        assertThat(Redaction.exceptionMessage(new JsonParseException("Unexpected '{\"ssn\":1}'"), 300)).isEmpty();
        assertThat(Redaction.exceptionMessage(new java.net.SocketException("Connection reset"), 300))
                .isEqualTo("Connection reset");
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
}
