package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class OriginTest {

    @Test
    void anOriginIsSchemeHostAndPortLowerCasedWhicheverUriAsksFirst() {
        assertThat(Generation.originOf(URI.create("https://API.Example.org/a?b=c")))
                .isEqualTo("https://api.example.org:-1");
        assertThat(Generation.originOf(URI.create("https://api.example.org/other")))
                .isEqualTo("https://api.example.org:-1");
        assertThat(Generation.originOf(URI.create("http://api.example.org:8080/a")))
                .isEqualTo("http://api.example.org:8080");
        assertThat(Generation.originOf(URI.create("HTTP://api.example.org:8080/a")))
                .isEqualTo("http://api.example.org:8080");
    }

    @Test
    void theSameAuthorityUnderAnotherSchemeIsAnotherOrigin() {
        assertThat(Generation.originOf(URI.create("http://api.example.org:9443/")))
                .isNotEqualTo(Generation.originOf(URI.create("https://api.example.org:9443/")));
    }
}
