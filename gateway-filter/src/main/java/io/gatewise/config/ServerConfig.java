package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway itself, the {@code gateway:} section: its name, where the standalone server listens,
 * and what holds for every route.
 *
 * @param name how this gateway calls itself in {@code Via} and {@code Proxy-Status} (default
 *     {@value #DEFAULT_NAME}); an RFC 8941 token such as {@code edge-1}
 * @param host the address the standalone server binds; {@code null} (the default) for all interfaces
 * @param port its port (default {@value #DEFAULT_PORT}; 0 picks a free port)
 * @param noRouteStatus the status for a path no route matches: 500 (RFC 9209's recommendation for
 *     {@code destination_not_found}, the default) or 404
 * @param prohibitedAddresses addresses and CIDR ranges the gateway never connects to, such as
 *     {@code 169.254.0.0/16}, whatever an upstream's name resolves to (default none)
 * @param accessLog where the standalone server writes its access log: {@code -} for standard
 *     output, or a file path; {@code null} (the default) for none
 * @param dnsCache how long upstream addresses are kept (default {@link DnsCacheConfig#defaults()})
 * @param replayMemory how many bytes all request bodies kept for a retry may take together, in
 *     bytes (default {@value #DEFAULT_REPLAY_MEMORY}); a body that would pass it streams through
 *     and its request is not retried once sent
 * @param proxyStatus what of {@code Proxy-Status} a visitor sees: {@code visitor} or {@code full},
 *     see {@link ProxyStatusView} (default {@link #DEFAULT_PROXY_STATUS})
 * @param shutdownTimeout how long a stopping gateway lets requests in flight finish after it stops
 *     accepting new connections (default {@link #DEFAULT_SHUTDOWN_TIMEOUT}; 0s ends them at once)
 * @param shutdownDelay how long a stopping gateway keeps serving after its readiness turns false
 *     ({@code /readyz} answers 503), before it stops accepting, so a load balancer stops sending it
 *     traffic first (default 0s; 0s to 24h)
 * @param trustedProxies addresses and CIDR ranges of the proxies in front of the gateway whose
 *     {@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} headers are believed (default
 *     none: every client's are replaced by what the gateway saw)
 * @param watchConfig whether a gateway whose config came from a file reloads it when it changes,
 *     watching the file's folder, so a Kubernetes ConfigMap's symlink swap is seen (default false)
 * @param metrics whether the gateway keeps its meters ({@code gatewise_*}, and the JVM's and Jetty's
 *     in a registry of its own); default {@code true}. Read when the gateway is built: changing it
 *     needs a restart
 * @param limits what clients may hold of the standalone server's listener (default
 *     {@link ClientLimitsConfig#defaults()}); read when the server starts: changing it needs a restart
 * @param http2 whether the standalone server's listeners speak HTTP/2 beside HTTP/1.1 (default
 *     true): h2c with prior knowledge on the cleartext port, h2 chosen by ALPN on the TLS port.
 *     Read when the server starts: changing it needs a restart
 * @param tls the standalone server's TLS listener, the {@code tls:} section (default none: no TLS
 *     listener); its port, protocols and list of certificates need a restart, the certificate
 *     files' contents are read again when they change
 * @param warmup how long the standalone server runs synthetic traffic through its own handlers on
 *     loopback before its readiness turns true (default 0s: ready at once; up to
 *     {@link #MAX_WARMUP}): a twin of the gateway with the same error pages and settings, routed to
 *     a loopback upstream of its own, never to a configured one. Read when the server starts:
 *     changing it needs a restart
 */
@JsonDeserialize(builder = ServerConfig.Builder.class)
public record ServerConfig(String name, String host, int port, int noRouteStatus, List<String> prohibitedAddresses,
        String accessLog, DnsCacheConfig dnsCache, int replayMemory, ProxyStatusView proxyStatus,
        List<String> trustedProxies, Duration shutdownTimeout, Duration shutdownDelay, boolean watchConfig,
        boolean metrics, ClientLimitsConfig limits, boolean http2, Optional<ListenerTlsConfig> tls,
        Duration warmup) {
    /** Default {@code name}. */
    public static final String DEFAULT_NAME = "gatewise";
    /** Default {@code port} of the standalone server. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@code noRouteStatus}. */
    public static final int DEFAULT_NO_ROUTE_STATUS = 500;
    /** Default {@code proxyStatus}. */
    public static final ProxyStatusView DEFAULT_PROXY_STATUS = ProxyStatusView.VISITOR;
    /** Default {@code shutdownTimeout}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@code replayMemory}, in bytes. */
    public static final int DEFAULT_REPLAY_MEMORY = 32 * 1024 * 1024;
    /** The longest {@code warmup}: a replica that takes longer to become ready is better restarted. */
    public static final Duration MAX_WARMUP = Duration.ofMinutes(5);

    private static final int MAX_REPLAY_MEMORY = 1024 * 1024 * 1024;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,63}");
    private static final ServerConfig DEFAULTS = builder().build();

    /** Copies the lists; the values are checked by the {@link Builder}, which is how to make one. */
    public ServerConfig {
        prohibitedAddresses = List.copyOf(prohibitedAddresses);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(warmup, "warmup");
    }

    /** What of {@code Proxy-Status} (RFC 9209) a visitor sees, the {@code proxyStatus} key. */
    public enum ProxyStatusView {
        /**
         * {@code visitor}: only the gateway's own member with the error type and
         * {@code received-status}; {@code next-hop}, the other parameters and an upstream's own
         * members are for the operator view.
         */
        VISITOR,
        /**
         * {@code full}: every client sees what the operator view shows, except {@code details}:
         * {@code next-hop}, every parameter, and the upstream's members passed through. For
         * deployments whose clients are all internal.
         */
        FULL;

        /** @return its name in the config file */
        public String token() {
            return ConfigValues.token(this);
        }
    }

    /** @return the defaults */
    public static ServerConfig defaults() {
        return DEFAULTS;
    }

    @Override
    public String toString() {
        return "{name: " + name + ", host: " + (host == null ? "*" : host) + ", port: " + port + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings, to derive a changed copy */
    public Builder toBuilder() {
        return builder().name(name).host(host).port(port).noRouteStatus(noRouteStatus)
                .prohibitedAddresses(prohibitedAddresses).accessLog(accessLog).dnsCache(dnsCache)
                .replayMemory(replayMemory).proxyStatus(proxyStatus).trustedProxies(trustedProxies)
                .shutdownTimeout(shutdownTimeout).shutdownDelay(shutdownDelay).watchConfig(watchConfig)
                .metrics(metrics).limits(limits).http2(http2).tls(tls.orElse(null)).warmup(warmup);
    }

    /** Builds {@link ServerConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host;
        private int port = DEFAULT_PORT;
        private int noRouteStatus = DEFAULT_NO_ROUTE_STATUS;
        private int replayMemory = DEFAULT_REPLAY_MEMORY;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration shutdownDelay = Duration.ZERO;
        private List<String> prohibitedAddresses = List.of();
        private String accessLog;
        private DnsCacheConfig dnsCache = DnsCacheConfig.defaults();
        private ProxyStatusView proxyStatus = DEFAULT_PROXY_STATUS;
        private List<String> trustedProxies = List.of();
        private boolean watchConfig;
        private boolean metrics = true;
        private ClientLimitsConfig limits = ClientLimitsConfig.defaults();
        private boolean http2 = true;
        private ListenerTlsConfig tls;
        private Duration warmup = Duration.ZERO;

        private Builder() {
        }

        /**
         * Sets {@link ServerConfig#name()}: a letter, then letters, digits or
         * {@code -._:/*!#$%&'+^`|~}, at most 64 characters.
         */
        @JsonProperty("name")
        public Builder name(String name) {
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw ConfigException.invalid("name", (name == null ? "missing" : ConfigValues.quote(name))
                        + " (expected: a token such as edge-1: a letter, then letters, digits or -._:/,"
                        + " at most 64 characters)");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets {@link ServerConfig#host()}, such as {@code 127.0.0.1}; null, {@code *} or
         * {@code 0.0.0.0} for all interfaces.
         */
        @JsonProperty("host")
        public Builder host(String host) {
            if (host != null && (host.isBlank() || host.chars().anyMatch(Character::isWhitespace))) {
                throw ConfigException.invalid("host", ConfigValues.quote(host) + " (expected: an address or host name"
                        + " such as 127.0.0.1, or 0.0.0.0 for all interfaces)");
            }
            this.host = host == null || "0.0.0.0".equals(host) || "*".equals(host) ? null : host;
            return this;
        }

        /** Sets {@link ServerConfig#port()}: 0 to 65535, 0 picks a free one. */
        @JsonProperty("port")
        public Builder port(int port) {
            this.port = ConfigException.requireRange("port", port, 0, 65535, "; 0 picks a free port");
            return this;
        }

        /** Sets {@link ServerConfig#noRouteStatus()}: 500 or 404. */
        @JsonProperty("noRouteStatus")
        public Builder noRouteStatus(int status) {
            if (status != 500 && status != 404) {
                throw ConfigException.invalid("noRouteStatus", status + " (expected: 500 or 404)");
            }
            this.noRouteStatus = status;
            return this;
        }

        /**
         * Sets {@link ServerConfig#prohibitedAddresses()}, such as {@code 169.254.0.0/16} or
         * {@code fe80::/10}: address literals, CIDR ranges or {@code low-high} ranges, no host names;
         * IPv4-mapped entries are kept in their IPv4 form.
         */
        @JsonProperty("prohibitedAddresses")
        public Builder prohibitedAddresses(List<String> addresses) {
            this.prohibitedAddresses = AddressRanges.check("prohibitedAddresses", addresses, "169.254.0.0/16");
            return this;
        }

        /** Sets {@link ServerConfig#accessLog()}: {@code -} for standard output, a file path, or null for none. */
        @JsonProperty("accessLog")
        public Builder accessLog(String accessLog) {
            if (accessLog != null && accessLog.isBlank()) {
                throw ConfigException.invalid("accessLog", "empty (expected: - for standard output, or a file path)");
            }
            this.accessLog = accessLog;
            return this;
        }

        /** Sets {@link ServerConfig#dnsCache()}. */
        @JsonProperty("dnsCache")
        public Builder dnsCache(DnsCacheConfig dnsCache) {
            this.dnsCache = ConfigException.requireSection("dnsCache", dnsCache, "{ ttl: 30s }");
            return this;
        }

        /** Sets {@link ServerConfig#shutdownDelay()}: 0s to 24h. */
        @JsonProperty("shutdownDelay")
        public Builder shutdownDelay(Duration delay) {
            this.shutdownDelay = Durations.requireNotNegative("shutdownDelay", delay);
            return this;
        }

        /** Sets {@link ServerConfig#shutdownTimeout()}: 0s to 24h. */
        @JsonProperty("shutdownTimeout")
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Durations.requireNotNegative("shutdownTimeout", timeout);
            return this;
        }

        /** Sets {@link ServerConfig#warmup()}: 0s (off) to {@link #MAX_WARMUP}. */
        @JsonProperty("warmup")
        public Builder warmup(Duration warmup) {
            Durations.requireNotNegative("warmup", warmup);
            if (warmup.compareTo(MAX_WARMUP) > 0) {
                throw ConfigException.invalid("warmup", Durations.format(warmup) + " (expected: from 0s (off) to "
                        + Durations.format(MAX_WARMUP) + ")");
            }
            this.warmup = warmup;
            return this;
        }

        /** Sets {@link ServerConfig#replayMemory()}: 0 (keep no body) to 1GB. */
        @JsonProperty("replayMemory")
        @JsonDeserialize(using = ConfigValues.DataSizeDeserializer.class)
        public Builder replayMemory(int bytes) {
            this.replayMemory = DataSizes.require("replayMemory", bytes, 0, MAX_REPLAY_MEMORY,
                    "from 0, which keeps no body, to 1GB");
            return this;
        }

        /** Sets {@link ServerConfig#proxyStatus()} by its name, {@code visitor} or {@code full}, in any case. */
        @JsonProperty("proxyStatus")
        public Builder proxyStatus(String proxyStatus) {
            this.proxyStatus = ConfigValues.parseToken("proxyStatus", proxyStatus, ProxyStatusView.values());
            return this;
        }

        /** Sets {@link ServerConfig#proxyStatus()}. */
        public Builder proxyStatus(ProxyStatusView proxyStatus) {
            this.proxyStatus = Objects.requireNonNull(proxyStatus, "proxyStatus");
            return this;
        }

        /** Sets {@link ServerConfig#trustedProxies()}, such as {@code 10.0.0.0/8} or {@code 127.0.0.1}. */
        @JsonProperty("trustedProxies")
        public Builder trustedProxies(List<String> proxies) {
            this.trustedProxies = AddressRanges.check("trustedProxies", proxies, "10.0.0.0/8");
            return this;
        }

        /**
         * Sets {@link ServerConfig#watchConfig()}: true reloads the config file when it changes.
         * Only a gateway given the file as its config source watches it.
         */
        @JsonProperty("watchConfig")
        public Builder watchConfig(boolean watchConfig) {
            this.watchConfig = watchConfig;
            return this;
        }

        /** Sets {@link ServerConfig#metrics()}: {@code false} keeps no meters at all. */
        @JsonProperty("metrics")
        public Builder metrics(boolean metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Sets {@link ServerConfig#limits()}. */
        @JsonProperty("limits")
        public Builder limits(ClientLimitsConfig limits) {
            this.limits = ConfigException.requireSection("limits", limits, "{ maxConnectionsPerClient: 64 }");
            return this;
        }

        /** Sets {@link ServerConfig#http2()}: {@code false} serves HTTP/1.1 only, on both listeners. */
        @JsonProperty("http2")
        public Builder http2(boolean http2) {
            this.http2 = http2;
            return this;
        }

        /**
         * Sets {@link ServerConfig#tls()}: the TLS listener, or null for none (as when the file has
         * no {@code tls:} section).
         */
        public Builder tls(ListenerTlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** Reads the {@code tls:} section: a mapping, never an empty value. */
        @JsonProperty("tls")
        private Builder tlsSection(ListenerTlsConfig tls) {
            this.tls = ConfigException.requireSection("tls", tls, "{ port: 8443, certificates: [{certificate:"
                    + " /etc/gatewise/tls/shop.crt, privateKey: /etc/gatewise/tls/shop.key}] }");
            return this;
        }

        /** @return the settings */
        public ServerConfig build() {
            return new ServerConfig(name, host, port, noRouteStatus, prohibitedAddresses, accessLog, dnsCache,
                    replayMemory, proxyStatus, trustedProxies, shutdownTimeout, shutdownDelay, watchConfig, metrics,
                    limits, http2, Optional.ofNullable(tls), warmup);
        }
    }
}
