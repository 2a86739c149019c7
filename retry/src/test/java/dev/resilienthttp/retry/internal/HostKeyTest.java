package dev.resilienthttp.retry.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class HostKeyTest {

    @Test
    void aKeyIsTheLowerCaseHostAndThePortMadeExplicit() {
        assertThat(HostKey.of(URI.create("https://API.Example.org/a"))).isEqualTo("api.example.org:443");
        assertThat(HostKey.of(URI.create("https://api.example.org/b"))).isEqualTo("api.example.org:443");
        assertThat(HostKey.of(URI.create("http://api.example.org/a"))).isEqualTo("api.example.org:80");
        assertThat(HostKey.of(URI.create("http://api.example.org:8080/a"))).isEqualTo("api.example.org:8080");
        assertThat(HostKey.of(URI.create("HTTPS://api.example.org/a"))).isEqualTo("api.example.org:443");
    }
}
