package dev.resilienthttp.opentelemetry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;

import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_REQUEST_METHOD;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.HTTP_REQUEST_METHOD_ORIGINAL;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.SERVER_ADDRESS;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.SERVER_PORT;
import static dev.resilienthttp.opentelemetry.TelemetryKeys.URL_FULL;
import static org.assertj.core.api.Assertions.assertThat;

class RequestAttributesTest {

    @Test
    void aKnownMethodNamesTheSpanAndTheSchemeGivesThePortTheUriLeavesOut() {
        RequestAttributes attributes = RequestAttributes.of(
                HttpRequest.newBuilder(URI.create("https://api.example.org/articles")).GET().build(),
                "https://api.example.org/articles");

        assertThat(attributes.spanName()).isEqualTo("GET");
        assertThat(attributes.span().get(HTTP_REQUEST_METHOD)).isEqualTo("GET");
        assertThat(attributes.span().get(HTTP_REQUEST_METHOD_ORIGINAL)).isNull();
        assertThat(attributes.span().get(SERVER_ADDRESS)).isEqualTo("api.example.org");
        assertThat(attributes.span().get(SERVER_PORT)).isEqualTo(443L);
        assertThat(attributes.span().get(URL_FULL)).isEqualTo("https://api.example.org/articles");
        assertThat(attributes.metric().get(URL_FULL)).as("the histogram keeps no URL").isNull();
        assertThat(attributes.metric().get(SERVER_PORT)).isEqualTo(443L);
    }

    @Test
    void aMethodTheConventionsDoNotKnowIsOtherAndTheSpanIsNamedHttp() {
        RequestAttributes attributes = RequestAttributes.of(HttpRequest.newBuilder(URI.create("http://[::1]/cache"))
                .method("PURGE", BodyPublishers.noBody()).build(), "http://[::1]/cache");

        assertThat(attributes.spanName()).isEqualTo("HTTP");
        assertThat(attributes.span().get(HTTP_REQUEST_METHOD)).isEqualTo("_OTHER");
        assertThat(attributes.span().get(HTTP_REQUEST_METHOD_ORIGINAL)).isEqualTo("PURGE");
        assertThat(attributes.metric().get(HTTP_REQUEST_METHOD)).isEqualTo("_OTHER");
        assertThat(attributes.span().get(SERVER_ADDRESS)).isEqualTo("::1");
        assertThat(attributes.span().get(SERVER_PORT)).isEqualTo(80L);
    }
}
