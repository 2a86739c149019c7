package dev.resilienthttp.kafka.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass's reason goes to the event's {@code fail_reason} and to the {@code kafka_dlt-exception-message} header:
 * whatever built it, it passes core's redaction, and any exception's message is masked the same way, quoted data
 * and JSON gone.
 */
class FailureReasonTest {

    @Test
    void aHandlerErrorKeepsItsMessageMaskedWhateverItsPackageAndNoQuotedData() {
        Failure jdk = Failure.handlerError(new IllegalStateException(
                "POST https://h/hooks/XyZ123abcDEF456ghiJKL789 for jane@example.org token=abc"));
        Failure own = Failure.handlerError(new EventRejected("rejected {\"ssn\":\"123-45-6789\"}"));

        assertThat(jdk.reason()).startsWith("HANDLER_ERROR: java.lang.IllegalStateException: POST https://h/hooks/")
                .doesNotContain("XyZ123abcDEF456ghiJKL789", "jane@example.org", "abc");
        assertThat(own.reason()).isEqualTo("HANDLER_ERROR: " + EventRejected.class.getName() + ": rejected <redacted>")
                .doesNotContain("123-45-6789");
    }

    @Test
    void aReasonBuiltFromAnyTextIsRedactedAndBounded() {
        Failure failure = new Failure("BAD_INPUT", dev.resilienthttp.core.Outcome.NOT_SENT, 0, "x",
                "GET https://user:pw@h/a;jsessionid=S1\n" + "y".repeat(2_000));

        assertThat(failure.reason()).doesNotContain("pw@", "S1", "\n").hasSizeLessThanOrEqualTo(Failure.MAX_REASON);
    }

    private static final class EventRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EventRejected(String message) {
            super(message);
        }
    }
}
