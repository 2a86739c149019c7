package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.HttpFailureException;
import dev.resilienthttp.core.ResilientHttpClient;
import dev.resilienthttp.testkit.Sending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident this library exists for, on an upload: a keyed POST of a 1 MiB one-shot stream is reset mid-upload,
 * after the JDK has read some of the stream ahead. The retry would send the stream from wherever it is: it must fail
 * before the request is complete, never reach the server as a complete request with another body.
 */
class MidUploadResetEndToEndTest {
    private static final int SIZE = 1 << 20;

    @ParameterizedTest
    @EnumSource(Sending.class)
    void aOneShotStreamResetMidUploadIsNotReSentFromTheMiddle(Sending sending) throws Exception {
        byte[] payload = new byte[SIZE];
        new Random(7).nextBytes(payload);   // no part repeats another: a re-send from the middle differs
        InputStream shared = new ByteArrayInputStream(payload);

        HttpFailureException failure;
        UploadCuttingServer server = new UploadCuttingServer(64 * 1024);
        try (ResilientHttpClient client = Clients.resilient(Clients.shortBackoff()).build()) {
            HttpRequest post = HttpRequest.newBuilder(server.uri("/uploads")).header("Idempotency-Key", "upload-1")
                    .POST(BodyPublishers.ofInputStream(() -> shared)).build();
            failure = sending.failure(client, post, BodyHandlers.ofString());
        } finally {
            server.close();
        }

        assertThat(server.uploads()).as("the reset one, and the re-send cut by the client")
                .hasSize(2).noneMatch(UploadCuttingServer.Upload::complete);
        assertThat(failure.report().timeline().get(0).kind()).isIn(FailureKind.CONNECTION_RESET,
                FailureKind.STALE_CONNECTION);
        NonReplayableBodyEndToEndTest.assertReSendRefused(failure.report(), failure.report().timeline().get(0).kind());
    }
}
