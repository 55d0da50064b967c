package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A route: the requests whose path starts with a prefix, and the upstream they go to.
 *
 * <p>The prefix matches whole path segments: {@code /api} and {@code /api/} both match
 * {@code /api}, {@code /api/} and {@code /api/users}, never {@code /apiary}. By default the
 * whole request path is forwarded; with {@code stripPrefix} the prefix is removed first
 * ({@code /api/users} to {@code /users}).
 *
 * @param path the path as configured, such as {@code /api/} (required)
 * @param upstreams the upstreams, never empty, at least one of them not a backup
 * @param stripPrefix whether the prefix is removed from the path before forwarding (default no)
 * @param timeouts the timeouts towards this route's upstreams (default {@link TimeoutsConfig#defaults()})
 * @param limits the limits towards this route's upstreams (default {@link LimitsConfig#defaults()})
 * @param tls how this route's https upstreams are checked (default {@link TlsConfig#defaults()})
 * @param interceptStatuses the upstream statuses answered with the gateway's own error page instead
 *     of the upstream's; empty (the default) passes every upstream response through
 * @param errorPageTemplates this route's folder of error page templates and texts, looked at before
 *     the gateway's {@code errorPages.templates} (default none)
 * @param loadBalancing how requests are spread over the upstreams (default
 *     {@link #DEFAULT_LOAD_BALANCING})
 * @param retries when a failed request is tried on another upstream (default {@link RetryConfig#defaults()})
 * @param ejection when a failing upstream is taken out of rotation (default {@link EjectionConfig#defaults()})
 * @param maintenance whether the route starts in maintenance: every request answered 503, nothing
 *     forwarded (default no)
 * @param healthCheck the active health check of the route's upstreams (default none)
 * @param circuitBreaker the circuit breaker of each upstream (default none)
 * @param allowTrace whether {@code TRACE} requests are forwarded (default no: answered {@code 405},
 *     since an upstream's echo of the request can reveal headers the gateway or a browser added)
 * @param rewriteLocation whether an upstream's {@code Location}, {@code Content-Location} and
 *     {@code Refresh} URLs on its own origin become links under the route's public prefix (default yes)
 * @param rewriteCookies whether an upstream's {@code Set-Cookie} gets its {@code Path} under the
 *     route's public prefix and loses a {@code Domain} naming the upstream's host (default yes)
 * @param protocol which HTTP version the route speaks to its upstreams (default
 *     {@link UpstreamProtocol#AUTO}: ALPN chooses over {@code https}, HTTP/1.1 in cleartext)
 * @param websocket how the route carries WebSocket (default {@link WebSocketConfig#defaults()}: proxied)
 */
@JsonDeserialize(builder = RouteConfig.Builder.class)
public record RouteConfig(String path, List<UpstreamConfig> upstreams, boolean stripPrefix, TimeoutsConfig timeouts,
        LimitsConfig limits, TlsConfig tls, Set<Integer> interceptStatuses, Optional<Path> errorPageTemplates,
        LoadBalancingConfig loadBalancing, RetryConfig retries, EjectionConfig ejection, boolean maintenance,
        Optional<HealthCheckConfig> healthCheck, Optional<CircuitBreakerConfig> circuitBreaker, boolean allowTrace,
        boolean rewriteLocation, boolean rewriteCookies, UpstreamProtocol protocol, WebSocketConfig websocket) {
    /** Default {@code loadBalancing}. */
    public static final LoadBalancingConfig DEFAULT_LOAD_BALANCING = LoadBalancingConfig.ROUND_ROBIN;

    /** What a path segment may hold besides letters and digits. */
    private static final String SEGMENT_SYMBOLS = "._~!$&'()+,;=:@%-";
    private static final String EXPECTED_PATH = "a path prefix such as /api/, starting with /, without"
            + " wildcards, query, empty or dot segments";

    /** Copies the collections; the values are checked by the {@link Builder}, which is how to make one. */
    public RouteConfig {
        upstreams = List.copyOf(upstreams);
        interceptStatuses = Set.copyOf(interceptStatuses);
    }

    /**
     * @return the path without its trailing slash ({@code /api}), or {@code /} for the root route;
     *     two routes with the same prefix are the same route
     */
    public String prefix() {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public String toString() {
        return "route " + path + " -> " + upstreams;
    }

    /** @return an empty builder; {@code path} and one upstream are required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RouteConfig}; values are checked as they are set, completeness in {@link #build()}. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String path;
        private final List<UpstreamConfig> upstreams = new ArrayList<>();
        private boolean stripPrefix;
        private TimeoutsConfig timeouts = TimeoutsConfig.defaults();
        private LimitsConfig limits = LimitsConfig.defaults();
        private TlsConfig tls = TlsConfig.defaults();
        private Set<Integer> interceptStatuses = Set.of();
        private Path errorPageTemplates;
        private LoadBalancingConfig loadBalancing = DEFAULT_LOAD_BALANCING;
        private RetryConfig retries = RetryConfig.defaults();
        private EjectionConfig ejection = EjectionConfig.defaults();
        private boolean maintenance;
        private boolean allowTrace;
        private boolean rewriteLocation = true;
        private boolean rewriteCookies = true;
        private UpstreamProtocol protocol = UpstreamProtocol.AUTO;
        private HealthCheckConfig healthCheck;
        private CircuitBreakerConfig circuitBreaker;
        private WebSocketConfig websocket = WebSocketConfig.defaults();

        private Builder() {
        }

        /** Sets {@link RouteConfig#path()}: a prefix of whole segments, such as {@code /api/}. */
        @JsonProperty("path")
        public Builder path(String path) {
            if (path == null || !isPathPrefix(path)) {
                throw ConfigException.invalid("path", (path == null ? "missing" : ConfigValues.quote(path))
                        + " (expected: " + EXPECTED_PATH + ")");
            }
            this.path = path;
            return this;
        }

        /**
         * Checks a path in one pass, whatever its length (a regular expression of repeated segments
         * backtracks and overflows the stack on long paths).
         */
        private static boolean isPathPrefix(String path) {
            if (path.equals("/")) {
                return true;
            }
            if (path.isEmpty() || path.charAt(0) != '/') {
                return false;
            }
            int end = path.endsWith("/") ? path.length() - 1 : path.length();
            int start = 1;
            for (int i = 1; i <= end; i++) {
                if (i == end || path.charAt(i) == '/') {
                    int length = i - start;
                    if (length == 0 || length <= 2 && path.regionMatches(start, "..", 0, length)) {
                        return false;
                    }
                    start = i + 1;
                } else if (!isSegmentCharacter(path.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isSegmentCharacter(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || SEGMENT_SYMBOLS.indexOf(c) >= 0;
        }

        /** Replaces {@link RouteConfig#upstreams()}. */
        @JsonProperty("upstreams")
        public Builder upstreams(List<UpstreamConfig> upstreams) {
            this.upstreams.clear();
            if (upstreams == null) {
                throw ConfigException.invalid("upstreams", "empty (expected: a list with one upstream)");
            }
            upstreams.forEach(this::upstream);
            return this;
        }

        /** Adds an upstream. */
        public Builder upstream(UpstreamConfig upstream) {
            if (upstream == null) {
                throw ConfigException.invalid("upstreams", "an empty entry (expected: an upstream with a url)");
            }
            upstreams.add(upstream);
            return this;
        }

        /** Adds an upstream by URL, such as {@code http://127.0.0.1:9001}. */
        public Builder upstream(String url) {
            return upstream(UpstreamConfig.of(url));
        }

        /** Sets {@link RouteConfig#stripPrefix()}. */
        @JsonProperty("stripPrefix")
        public Builder stripPrefix(boolean stripPrefix) {
            this.stripPrefix = stripPrefix;
            return this;
        }

        /** Sets {@link RouteConfig#timeouts()}. */
        @JsonProperty("timeouts")
        public Builder timeouts(TimeoutsConfig timeouts) {
            this.timeouts = ConfigException.requireSection("timeouts", timeouts, "{ connect: 2s }");
            return this;
        }

        /** Sets {@link RouteConfig#limits()}. */
        @JsonProperty("limits")
        public Builder limits(LimitsConfig limits) {
            this.limits = ConfigException.requireSection("limits", limits, "{ maxConnections: 64 }");
            return this;
        }

        /** Sets {@link RouteConfig#tls()}. */
        @JsonProperty("tls")
        public Builder tls(TlsConfig tls) {
            this.tls = ConfigException.requireSection("tls", tls, "{ caFile: ca.pem }");
            return this;
        }

        /** Sets {@link RouteConfig#interceptStatuses()}: each from 400 to 599, such as {@code [502, 503, 504]}. */
        @JsonProperty("interceptStatuses")
        public Builder interceptStatuses(List<Integer> statuses) {
            this.interceptStatuses = ConfigException.requireStatuses("interceptStatuses", statuses, 400, 599,
                    "a status", "[502, 503]");
            return this;
        }

        /** Sets {@link RouteConfig#loadBalancing()} by its name: {@code round-robin} or {@code least-in-flight}. */
        @JsonProperty("loadBalancing")
        public Builder loadBalancing(String loadBalancing) {
            this.loadBalancing = ConfigValues.parseToken("loadBalancing", loadBalancing, LoadBalancingConfig.values());
            return this;
        }

        /** Sets {@link RouteConfig#loadBalancing()}. */
        public Builder loadBalancing(LoadBalancingConfig loadBalancing) {
            this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
            return this;
        }

        /** Sets {@link RouteConfig#retries()}. */
        @JsonProperty("retries")
        public Builder retries(RetryConfig retries) {
            this.retries = ConfigException.requireSection("retries", retries, "{ maxAttempts: 3 }");
            return this;
        }

        /** Sets {@link RouteConfig#circuitBreaker()}. */
        @JsonProperty("circuitBreaker")
        public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
            this.circuitBreaker = ConfigException.requireSection("circuitBreaker", circuitBreaker, "{ openFor: 30s }");
            return this;
        }

        /** Sets {@link RouteConfig#websocket()}. */
        @JsonProperty("websocket")
        public Builder websocket(WebSocketConfig websocket) {
            this.websocket = ConfigException.requireSection("websocket", websocket, "{ idleTimeout: 5m }");
            return this;
        }

        /** Sets {@link RouteConfig#healthCheck()}. */
        @JsonProperty("healthCheck")
        public Builder healthCheck(HealthCheckConfig healthCheck) {
            this.healthCheck = ConfigException.requireSection("healthCheck", healthCheck, "{ path: /health }");
            return this;
        }

        /** Sets {@link RouteConfig#allowTrace()}. */
        @JsonProperty("allowTrace")
        public Builder allowTrace(boolean allowTrace) {
            this.allowTrace = allowTrace;
            return this;
        }

        /** Sets {@link RouteConfig#rewriteLocation()}. */
        @JsonProperty("rewriteLocation")
        public Builder rewriteLocation(boolean rewriteLocation) {
            this.rewriteLocation = rewriteLocation;
            return this;
        }

        /** Sets {@link RouteConfig#protocol()}: {@code auto}, {@code http1} or {@code h2}. */
        @JsonProperty("protocol")
        public Builder protocol(String protocol) {
            this.protocol = ConfigValues.parseToken("protocol", protocol, UpstreamProtocol.values());
            return this;
        }

        /** Sets {@link RouteConfig#protocol()}. */
        public Builder protocol(UpstreamProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** Sets {@link RouteConfig#rewriteCookies()}. */
        @JsonProperty("rewriteCookies")
        public Builder rewriteCookies(boolean rewriteCookies) {
            this.rewriteCookies = rewriteCookies;
            return this;
        }

        /** Sets {@link RouteConfig#maintenance()}. */
        @JsonProperty("maintenance")
        public Builder maintenance(boolean maintenance) {
            this.maintenance = maintenance;
            return this;
        }

        /** Sets {@link RouteConfig#ejection()}. */
        @JsonProperty("ejection")
        public Builder ejection(EjectionConfig ejection) {
            this.ejection = ConfigException.requireSection("ejection", ejection, "{ consecutiveFailures: 5 }");
            return this;
        }

        /**
         * Sets {@link RouteConfig#errorPageTemplates()}.
         *
         * @param folder this route's folder of error page templates and texts
         * @return this builder
         * @throws ConfigException if the folder is empty or does not exist
         */
        @JsonProperty("errorPageTemplates")
        public Builder errorPageTemplates(String folder) {
            this.errorPageTemplates = ConfigException.requireFolder("errorPageTemplates", folder);
            return this;
        }

        /**
         * @return the route
         * @throws ConfigException if the path or the upstream is missing, or every upstream is a backup
         */
        public RouteConfig build() {
            if (path == null) {
                throw ConfigException.invalid("path", "missing (expected: " + EXPECTED_PATH + ")");
            }
            if (upstreams.isEmpty()) {
                throw ConfigException.invalid("upstreams", "missing (expected: a list with one upstream,"
                        + " such as - url: http://127.0.0.1:9001)");
            }
            if (upstreams.stream().allMatch(UpstreamConfig::backup)) {
                throw ConfigException.invalid("upstreams", "only backups (expected: at least one primary upstream,"
                        + " without backup: true)");
            }
            return new RouteConfig(path, upstreams, stripPrefix, timeouts, limits, tls, interceptStatuses,
                    Optional.ofNullable(errorPageTemplates), loadBalancing, retries, ejection, maintenance,
                    Optional.ofNullable(healthCheck), Optional.ofNullable(circuitBreaker), allowTrace, rewriteLocation,
                    rewriteCookies, protocol, websocket);
        }
    }
}
