package dev.resilienthttp.core.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class OriginTest {

    private static Origin of(String uri) {
        return Origin.of(URI.create(uri));
    }

    @Test
    void anOriginIsSchemeHostAndExplicitPortLowerCasedWhicheverUriAsksFirst() {
        assertThat(of("https://API.Example.org/a?b=c").key()).isEqualTo("https://api.example.org:443");
        assertThat(of("https://api.example.org/other").key()).isEqualTo("https://api.example.org:443");
        assertThat(of("http://api.example.org:8080/a").key()).isEqualTo("http://api.example.org:8080");
        assertThat(of("HTTP://api.example.org:8080/a").key()).isEqualTo("http://api.example.org:8080");
        assertThat(of("HTTPS://api.example.org/a").hostPort()).isEqualTo("api.example.org:443");
        assertThat(of("http://api.example.org/a").hostPort()).isEqualTo("api.example.org:80");
    }

    @Test
    void aDefaultPortWrittenOutOrLeftOutIsOneOriginForPoolsAndProtectionsAlike() {
        Origin implicit = of("https://api.example.org/a");
        Origin explicit = of("https://api.example.org:443/b");

        assertThat(explicit.key()).isEqualTo(implicit.key());
        assertThat(explicit.hostPort()).isEqualTo(implicit.hostPort());
    }

    @Test
    void theSameAuthorityUnderAnotherSchemeIsAnotherPoolButTheSameHost() {
        assertThat(of("http://api.example.org:9443/").key()).isNotEqualTo(of("https://api.example.org:9443/").key());
        assertThat(of("http://api.example.org:9443/").hostPort())
                .isEqualTo(of("https://api.example.org:9443/").hostPort());
    }

    @Test
    void userInfoNeverReachesTheKeysNorTheCache() {
        Origin withCredentials = of("https://user:secret@api.example.org/a");

        assertThat(withCredentials.key()).isEqualTo("https://api.example.org:443").doesNotContain("secret");
        assertThat(withCredentials.hostPort()).isEqualTo("api.example.org:443");
        assertThat(of("https://user:secret@api.example.org/b")).as("built anew, not cached")
                .isNotSameAs(withCredentials);
    }

    @Test
    void aHostPortReadFromOutsideIsNormalisedAsAnOriginWritesItAndAnythingElseIsRefused() {
        assertThat(Origin.normaliseHostPort("API.Example.org:443")).isEqualTo(of("https://api.example.org/").hostPort());
        assertThat(Origin.normaliseHostPort("127.0.0.1:8080")).isEqualTo("127.0.0.1:8080");
        assertThat(Origin.normaliseHostPort("[::1]:8080")).isEqualTo(of("http://[::1]:8080/").hostPort());
        for (String bad : new String[] {"api.example.org", "api.example.org:443/path", "user@api.example.org:443",
                "", ":443", "api example:443", "api.example.org:443?x"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Origin.normaliseHostPort(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
