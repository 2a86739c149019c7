package dev.resilienthttp.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a private Properties: the JDK reads the real ones once per JVM, and other tests share this one. */
class JdkKeepAliveTest {

    @Test
    void setsBothKeepAlivePropertiesInWholeSecondsWhenNobodyHas() {
        Properties properties = new Properties();
        assertThat(JdkKeepAlive.installDefault(Duration.ofSeconds(50), properties))
                .containsExactly("jdk.httpclient.keepalive.timeout", "jdk.httpclient.keepalive.timeout.h2");
        assertThat(properties).containsEntry("jdk.httpclient.keepalive.timeout", "50")
                .containsEntry("jdk.httpclient.keepalive.timeout.h2", "50");
    }

    @Test
    void leavesAValueTheUserSetAlone() {
        Properties properties = new Properties();
        properties.setProperty("jdk.httpclient.keepalive.timeout", "20");
        assertThat(JdkKeepAlive.installDefault(Duration.ofSeconds(50), properties))
                .containsExactly("jdk.httpclient.keepalive.timeout.h2");
        assertThat(properties).containsEntry("jdk.httpclient.keepalive.timeout", "20");
    }

    @Test
    void refusesLessThanOneSecondBecauseTheJdkCountsWholeSeconds() {
        assertThatThrownBy(() -> JdkKeepAlive.installDefault(Duration.ofMillis(500), new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 s");
    }
}
