package dev.resilienthttp.core.internal;

import dev.resilienthttp.core.fixtures.Responses;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the pool model assumes became of a connection, from the response that ended its exchange. */
class ConnectionAfterTest {

    private static <T> HttpResponse<T> response(HttpClient.Version version, Map<String, List<String>> headers, T body) {
        return Responses.response(200, version, headers, body);
    }

    @Test
    void aKeepAliveResponseReadWholeLeavesItsConnectionPooled() {
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1, Map.of(), "ok"), false))
                .isEqualTo(ConnectionAfter.POOLED);
    }

    @Test
    void connectionCloseOrABodyTheClientCutOffLeaveNoIdleConnection() {
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1,
                Map.of("Connection", List.of("Close")), "ok"), false)).isEqualTo(ConnectionAfter.CLOSED);
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1, Map.of(), null), true))
                .as("a failure's long body, cut off").isEqualTo(ConnectionAfter.CLOSED);
    }

    @Test
    void aFailuresShortBodyReadWholeAndABodyTheCallerStreamsLeaveTheirConnectionPooled() {
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1, Map.of(), null), false))
                .as("a failure's short body, read whole").isEqualTo(ConnectionAfter.POOLED);
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1, Map.of(),
                new ByteArrayInputStream(new byte[0])), false)).as("ofInputStream").isEqualTo(ConnectionAfter.POOLED);
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_1_1, Map.of(), Stream.of("a")), false))
                .as("ofLines").isEqualTo(ConnectionAfter.POOLED);
    }

    @Test
    void anHttp2ResponseSharesItsConnection() {
        assertThat(ConnectionAfter.of(response(HttpClient.Version.HTTP_2, Map.of(), "ok"), false))
                .isEqualTo(ConnectionAfter.SHARED);
    }
}
