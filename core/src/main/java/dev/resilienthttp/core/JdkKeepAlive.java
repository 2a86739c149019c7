package dev.resilienthttp.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Opt-in: sets the JDK {@code HttpClient}'s own keep-alive timeout, JVM-wide. It is the only way to bound the
 * idle time of each pooled connection rather than of the whole pool, but it is global and read once: the JDK
 * copies {@code jdk.httpclient.keepalive.timeout} (and, from JDK 20, {@code .h2}) into static fields when the
 * first {@code HttpClient} of the JVM is used, so later changes do nothing. Call it first thing in
 * {@code main}. On JDK 17 it bounds HTTP/1.1 connections only: 17 has no HTTP/2 idle timeout at all.
 */
public final class JdkKeepAlive {
    private static final Logger LOG = LoggerFactory.getLogger(JdkKeepAlive.class);

    static final String HTTP1_PROPERTY = "jdk.httpclient.keepalive.timeout";
    static final String HTTP2_PROPERTY = "jdk.httpclient.keepalive.timeout.h2";

    private JdkKeepAlive() {
    }

    /**
     * Sets both keep-alive properties to {@code timeout} (whole seconds, at least 1) where neither the command
     * line nor earlier code has set them, and warns that this is JVM-wide.
     *
     * @return the properties this call set; empty if all were set already
     */
    public static List<String> installDefault(Duration timeout) {
        return installDefault(timeout, System.getProperties());
    }

    /** {@link #installDefault(Duration)} on the given properties rather than the JVM's (tests). */
    static List<String> installDefault(Duration timeout, Properties properties) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("the JDK's keep-alive timeout has a resolution of whole seconds; "
                    + "timeout must be at least 1 s, was " + timeout);
        }
        String seconds = Long.toString(timeout.toSeconds());
        List<String> set = new ArrayList<>(2);
        for (String property : List.of(HTTP1_PROPERTY, HTTP2_PROPERTY)) {
            if (properties.getProperty(property) == null) {
                properties.setProperty(property, seconds);
                set.add(property);
            }
        }
        if (!set.isEmpty()) {
            LOG.warn("set {} to {} s for the whole JVM: every java.net.http.HttpClient in this process is affected, "
                    + "and only if no HttpClient was used before this call", set, seconds);
        }
        return List.copyOf(set);
    }
}
