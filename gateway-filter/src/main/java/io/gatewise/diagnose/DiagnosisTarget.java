package io.gatewise.diagnose;

import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.config.UpstreamConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream to diagnose, with the settings live traffic to it uses.
 *
 * @param route the route's path; empty for a URL given on the command line
 * @param upstream the upstream
 * @param timeouts the route's timeouts: each step waits as long as live traffic would
 * @param tls the route's TLS settings: which authorities are trusted
 * @param healthCheck the route's health check, whose path the HTTP step asks for; empty for a HEAD
 *     of the base path
 */
public record DiagnosisTarget(Optional<String> route, UpstreamConfig upstream, TimeoutsConfig timeouts, TlsConfig tls,
        Optional<HealthCheckConfig> healthCheck) {
    /** Requires every value. */
    public DiagnosisTarget {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(healthCheck, "healthCheck");
    }

    /**
     * @param route a configured route
     * @param upstream one of its upstreams
     * @return the target, with the route's settings
     */
    public static DiagnosisTarget of(RouteConfig route, UpstreamConfig upstream) {
        return new DiagnosisTarget(Optional.of(route.path()), upstream, route.timeouts(), route.tls(),
                route.healthCheck());
    }

    /**
     * @param url an upstream URL
     * @return the target with the default settings of a route: JDK trust, default timeouts, a HEAD
     * @throws io.gatewise.config.ConfigException if it is not an http or https URL
     */
    public static DiagnosisTarget ofUrl(String url) {
        return new DiagnosisTarget(Optional.empty(), UpstreamConfig.of(url), TimeoutsConfig.defaults(),
                TlsConfig.defaults(), Optional.empty());
    }

    /** @return the upstream's URL as configured */
    public String url() {
        return upstream.url().toString();
    }

    /** @return the host without the brackets of an IPv6 literal */
    String host() {
        String host = upstream.host();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
