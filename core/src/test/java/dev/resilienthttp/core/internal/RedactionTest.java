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
