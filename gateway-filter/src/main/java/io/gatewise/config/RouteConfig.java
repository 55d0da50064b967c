package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A route: the requests whose path starts with a prefix, and the upstream they go to.
 *
 * <p>The prefix matches whole path segments: {@code /api} and {@code /api/} both match
 * {@code /api}, {@code /api/} and {@code /api/users}, never {@code /apiary}. By default the
 * whole request path is forwarded; with {@code stripPrefix} the prefix is removed first
 * ({@code /api/users} to {@code /users}).
 */
@JsonDeserialize(builder = RouteConfig.Builder.class)
public final class RouteConfig {
    private static final Pattern PATH = Pattern.compile("/|(/[A-Za-z0-9._~!$&'()+,;=:@%-]+)+/?");
    private static final String EXPECTED_PATH = "a path prefix such as /api/, starting with /, without"
            + " wildcards, query, empty or dot segments";

    private final String path;
    private final String prefix;
    private final List<UpstreamConfig> upstreams;
    private final boolean stripPrefix;
    private final Timeouts timeouts;
    private final Limits limits;
    private final TlsSettings tls;
    private final Set<Integer> interceptStatuses;
    private final Path errorPageTemplates;
    private final LoadBalancing loadBalancing;
    private final Retries retries;
    private final Ejection ejection;
    private final boolean maintenance;
    private final HealthCheck healthCheck;
    private final CircuitBreaking circuitBreaker;

    private RouteConfig(Builder builder) {
        this.path = builder.path;
        this.prefix = normalize(builder.path);
        this.upstreams = List.copyOf(builder.upstreams);
        this.stripPrefix = builder.stripPrefix;
        this.timeouts = builder.timeouts;
        this.limits = builder.limits;
        this.tls = builder.tls;
        this.interceptStatuses = Set.copyOf(builder.interceptStatuses);
        this.errorPageTemplates = builder.errorPageTemplates;
        this.loadBalancing = builder.loadBalancing;
        this.retries = builder.retries;
        this.ejection = builder.ejection;
        this.maintenance = builder.maintenance;
        this.healthCheck = builder.healthCheck;
        this.circuitBreaker = builder.circuitBreaker;
    }

    /** @return an empty builder; {@code path} and one upstream are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the path as configured, such as {@code /api/} */
    public String path() {
        return path;
    }

    /**
     * @return the path without its trailing slash ({@code /api}), or {@code /} for the root route;
     *     two routes with the same prefix are the same route
     */
    public String prefix() {
        return prefix;
    }

    /** @return the upstreams, never empty */
    public List<UpstreamConfig> upstreams() {
        return upstreams;
    }

    /** @return whether the prefix is removed from the path before forwarding */
    public boolean stripPrefix() {
        return stripPrefix;
    }

    /** @return the timeouts towards this route's upstreams */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** @return the limits towards this route's upstreams */
    public Limits limits() {
        return limits;
    }

    /** @return how this route's https upstreams are checked */
    public TlsSettings tls() {
        return tls;
    }

    /**
     * @return the upstream statuses answered with the gateway's own error page instead of the
     *     upstream's; empty (the default) passes every upstream response through
     */
    public Set<Integer> interceptStatuses() {
        return interceptStatuses;
    }

    /** @return how requests are spread over the upstreams */
    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    /** @return when a failed request is tried on another upstream */
    public Retries retries() {
        return retries;
    }

    /** @return when a failing upstream is taken out of rotation */
    public Ejection ejection() {
        return ejection;
    }

    /** @return the active health check of the route's upstreams, if configured */
    public Optional<HealthCheck> healthCheck() {
        return Optional.ofNullable(healthCheck);
    }

    /** @return the circuit breaker of each upstream, if configured */
    public Optional<CircuitBreaking> circuitBreaker() {
        return Optional.ofNullable(circuitBreaker);
    }

    /** @return whether the route starts in maintenance: every request answered 503, nothing forwarded */
    public boolean maintenance() {
        return maintenance;
    }

    /**
     * @return this route's folder of error page templates and texts, looked at before the
     *     gateway's {@code errorPages.templates}; empty for none
     */
    public Optional<Path> errorPageTemplates() {
        return Optional.ofNullable(errorPageTemplates);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RouteConfig)) {
            return false;
        }
        RouteConfig that = (RouteConfig) other;
        return path.equals(that.path) && upstreams.equals(that.upstreams) && stripPrefix == that.stripPrefix
                && timeouts.equals(that.timeouts) && limits.equals(that.limits) && tls.equals(that.tls)
                && interceptStatuses.equals(that.interceptStatuses)
                && Objects.equals(errorPageTemplates, that.errorPageTemplates)
                && loadBalancing == that.loadBalancing && retries.equals(that.retries)
                && ejection.equals(that.ejection) && maintenance == that.maintenance
                && Objects.equals(healthCheck, that.healthCheck) && Objects.equals(circuitBreaker, that.circuitBreaker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, upstreams, stripPrefix, timeouts, limits, tls, interceptStatuses,
                errorPageTemplates, loadBalancing, retries, ejection, maintenance, healthCheck, circuitBreaker);
    }

    @Override
    public String toString() {
        return "route " + path + " -> " + upstreams;
    }

    static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Builds a {@link RouteConfig}; values are checked as they are set, completeness in {@link #build()}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private String path;
        private final List<UpstreamConfig> upstreams = new ArrayList<>();
        private boolean stripPrefix;
        private Timeouts timeouts = Timeouts.defaults();
        private Limits limits = Limits.defaults();
        private TlsSettings tls = TlsSettings.defaults();
        private final Set<Integer> interceptStatuses = new TreeSet<>();
        private Path errorPageTemplates;
        private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
        private Retries retries = Retries.defaults();
        private Ejection ejection = Ejection.defaults();
        private boolean maintenance;
        private HealthCheck healthCheck;
        private CircuitBreaking circuitBreaker;

        private Builder() {
        }

        /**
         * @param path the path prefix, such as {@code /api/}
         * @return this builder
         */
        @JsonProperty("path")
        public Builder path(String path) {
            if (path == null || !PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")
                    || path.endsWith("/.") || path.endsWith("/..")) {
                throw ConfigException.invalid("path", (path == null ? "missing" : "\"" + path + "\"")
                        + " (expected: " + EXPECTED_PATH + ")");
            }
            this.path = path;
            return this;
        }

        /**
         * Replaces the upstreams.
         *
         * @param upstreams the upstreams; at least one
         * @return this builder
         */
        @JsonProperty("upstreams")
        public Builder upstreams(List<UpstreamConfig> upstreams) {
            this.upstreams.clear();
            if (upstreams == null) {
                throw ConfigException.invalid("upstreams", "empty (expected: a list with one upstream)");
            }
            for (UpstreamConfig upstream : upstreams) {
                upstream(upstream);
            }
            return this;
        }

        /**
         * Adds an upstream.
         *
         * @param upstream the upstream
         * @return this builder
         */
        public Builder upstream(UpstreamConfig upstream) {
            if (upstream == null) {
                throw ConfigException.invalid("upstreams", "an empty entry (expected: an upstream with a url)");
            }
            upstreams.add(upstream);
            return this;
        }

        /**
         * Adds an upstream by URL.
         *
         * @param url the upstream URL, such as {@code http://127.0.0.1:9001}
         * @return this builder
         */
        public Builder upstream(String url) {
            return upstream(UpstreamConfig.of(url));
        }

        /**
         * @param stripPrefix whether to remove the prefix from the path before forwarding
         * @return this builder
         */
        @JsonProperty("stripPrefix")
        public Builder stripPrefix(boolean stripPrefix) {
            this.stripPrefix = stripPrefix;
            return this;
        }

        /**
         * @param timeouts the timeouts towards this route's upstreams
         * @return this builder
         */
        @JsonProperty("timeouts")
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = ConfigException.requireSection("timeouts", timeouts, "{ connect: 2s }");
            return this;
        }

        /**
         * @param limits the limits towards this route's upstreams
         * @return this builder
         */
        @JsonProperty("limits")
        public Builder limits(Limits limits) {
            this.limits = ConfigException.requireSection("limits", limits, "{ maxConnections: 64 }");
            return this;
        }

        /**
         * @param tls how this route's https upstreams are checked
         * @return this builder
         */
        @JsonProperty("tls")
        public Builder tls(TlsSettings tls) {
            this.tls = ConfigException.requireSection("tls", tls, "{ caFile: ca.pem }");
            return this;
        }

        /**
         * @param statuses upstream statuses (400 to 599) to answer with the gateway's own error
         *     page, such as {@code [502, 503, 504]}
         * @return this builder
         */
        @JsonProperty("interceptStatuses")
        public Builder interceptStatuses(List<Integer> statuses) {
            Set<Integer> checked = ConfigException.requireStatuses("interceptStatuses", statuses, 400, 599, "a status",
                    "[502, 503]");
            this.interceptStatuses.clear();
            this.interceptStatuses.addAll(checked);
            return this;
        }

        /**
         * @param loadBalancing {@code round-robin} (weighted, smooth; the default) or
         *     {@code least-in-flight} (the less busy of two random picks)
         * @return this builder
         */
        @JsonProperty("loadBalancing")
        public Builder loadBalancing(String loadBalancing) {
            this.loadBalancing = LoadBalancing.parse(loadBalancing);
            return this;
        }

        /**
         * @param loadBalancing how requests are spread over the upstreams
         * @return this builder
         */
        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
            return this;
        }

        /**
         * @param retries when a failed request is tried on another upstream
         * @return this builder
         */
        @JsonProperty("retries")
        public Builder retries(Retries retries) {
            this.retries = ConfigException.requireSection("retries", retries, "{ maxAttempts: 3 }");
            return this;
        }

        /**
         * @param circuitBreaker the circuit breaker of each upstream
         * @return this builder
         */
        @JsonProperty("circuitBreaker")
        public Builder circuitBreaker(CircuitBreaking circuitBreaker) {
            this.circuitBreaker = ConfigException.requireSection("circuitBreaker", circuitBreaker, "{ openFor: 30s }");
            return this;
        }

        /**
         * @param healthCheck the active health check of the route's upstreams
         * @return this builder
         */
        @JsonProperty("healthCheck")
        public Builder healthCheck(HealthCheck healthCheck) {
            this.healthCheck = ConfigException.requireSection("healthCheck", healthCheck, "{ path: /health }");
            return this;
        }

        /**
         * @param maintenance whether the route starts in maintenance
         * @return this builder
         */
        @JsonProperty("maintenance")
        public Builder maintenance(boolean maintenance) {
            this.maintenance = maintenance;
            return this;
        }

        /**
         * @param ejection when a failing upstream is taken out of rotation
         * @return this builder
         */
        @JsonProperty("ejection")
        public Builder ejection(Ejection ejection) {
            this.ejection = ConfigException.requireSection("ejection", ejection, "{ consecutiveFailures: 5 }");
            return this;
        }

        /**
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
         * @throws ConfigException if the path or the upstream is missing
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
            return new RouteConfig(this);
        }
    }
}
