package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The gateway itself: its name and where the standalone server listens.
 *
 * <ul>
 *   <li>{@code name}: how this gateway calls itself in {@code Via} and {@code Proxy-Status}
 *       (default {@code gatewise}); an RFC 8941 token such as {@code edge-1};</li>
 *   <li>{@code host}: the address the standalone server binds (default all interfaces);</li>
 *   <li>{@code port}: its port (default 8080; 0 picks a free port);</li>
 *   <li>{@code noRouteStatus}: the status for a path no route matches, 500 (RFC 9209's
 *       recommendation for {@code destination_not_found}, the default) or 404;</li>
 *   <li>{@code prohibitedAddresses}: addresses and CIDR ranges the gateway never connects to, such
 *       as {@code 169.254.0.0/16}, whatever an upstream's name resolves to (default none);</li>
 *   <li>{@code accessLog}: where the standalone server writes its access log: {@code -} for
 *       standard output, or a file path (default none);</li>
 *   <li>{@code dnsCache}: how long upstream addresses are kept, see {@link DnsCaching}.</li>
 * </ul>
 */
@JsonDeserialize(builder = GatewaySettings.Builder.class)
public final class GatewaySettings {
    /** Default gateway name. */
    public static final String DEFAULT_NAME = "gatewise";
    /** Default port of the standalone server. */
    public static final int DEFAULT_PORT = 8080;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,63}");
    private static final GatewaySettings DEFAULTS = builder().build();

    private final String name;
    private final String host;
    private final int port;
    private final int noRouteStatus;
    private final List<String> prohibitedAddresses;
    private final String accessLog;
    private final DnsCaching dnsCache;

    private GatewaySettings(Builder builder) {
        this.name = builder.name;
        this.host = builder.host;
        this.port = builder.port;
        this.noRouteStatus = builder.noRouteStatus;
        this.prohibitedAddresses = List.copyOf(builder.prohibitedAddresses);
        this.accessLog = builder.accessLog;
        this.dnsCache = builder.dnsCache;
    }

    /** @return the defaults: name {@code gatewise}, all interfaces, port 8080 */
    public static GatewaySettings defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the gateway's name, used in {@code Via} and {@code Proxy-Status} */
    public String name() {
        return name;
    }

    /** @return the bind address of the standalone server; {@code null} for all interfaces */
    public String host() {
        return host;
    }

    /** @return the port of the standalone server; 0 picks a free one */
    public int port() {
        return port;
    }

    /** @return the status for a path no route matches: 500 or 404 */
    public int noRouteStatus() {
        return noRouteStatus;
    }

    /** @return addresses and CIDR ranges the gateway never connects to */
    public List<String> prohibitedAddresses() {
        return prohibitedAddresses;
    }

    /** @return where the standalone server writes its access log: {@code -}, a path, or null for none */
    public String accessLog() {
        return accessLog;
    }

    /** @return how long upstream addresses are kept */
    public DnsCaching dnsCache() {
        return dnsCache;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof GatewaySettings)) {
            return false;
        }
        GatewaySettings that = (GatewaySettings) other;
        return name.equals(that.name) && Objects.equals(host, that.host) && port == that.port
                && noRouteStatus == that.noRouteStatus && prohibitedAddresses.equals(that.prohibitedAddresses)
                && Objects.equals(accessLog, that.accessLog) && dnsCache.equals(that.dnsCache);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, host, port, noRouteStatus, prohibitedAddresses, accessLog, dnsCache);
    }

    @Override
    public String toString() {
        return "{name: " + name + ", host: " + (host == null ? "*" : host) + ", port: " + port + "}";
    }

    /** Builds {@link GatewaySettings}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host;
        private int port = DEFAULT_PORT;
        private int noRouteStatus = 500;
        private List<String> prohibitedAddresses = List.of();
        private String accessLog;
        private DnsCaching dnsCache = DnsCaching.defaults();

        private Builder() {
        }

        /**
         * @param name the gateway's name: a letter, then letters, digits or {@code -._:/*!#$%&'+^`|~},
         *     at most 64 characters
         * @return this builder
         */
        @JsonProperty("name")
        public Builder name(String name) {
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw ConfigException.invalid("name", (name == null ? "missing" : "\"" + name + "\"")
                        + " (expected: a token such as edge-1: a letter, then letters, digits or -._:/,"
                        + " at most 64 characters)");
            }
            this.name = name;
            return this;
        }

        /**
         * @param host the bind address of the standalone server, such as {@code 127.0.0.1}; null
         *     or {@code 0.0.0.0} for all interfaces
         * @return this builder
         */
        @JsonProperty("host")
        public Builder host(String host) {
            if (host != null && (host.isBlank() || host.chars().anyMatch(Character::isWhitespace))) {
                throw ConfigException.invalid("host", "\"" + host + "\" (expected: an address or host name"
                        + " such as 127.0.0.1, or 0.0.0.0 for all interfaces)");
            }
            this.host = host == null || "0.0.0.0".equals(host) || "*".equals(host) ? null : host;
            return this;
        }

        /**
         * @param port the port of the standalone server; 0 to 65535, 0 picks a free one
         * @return this builder
         */
        @JsonProperty("port")
        public Builder port(int port) {
            this.port = ConfigException.requireRange("port", port, 0, 65535, "; 0 picks a free port");
            return this;
        }

        /**
         * @param status the status for a path no route matches: 500 or 404
         * @return this builder
         */
        @JsonProperty("noRouteStatus")
        public Builder noRouteStatus(int status) {
            if (status != 500 && status != 404) {
                throw ConfigException.invalid("noRouteStatus", status + " (expected: 500 or 404)");
            }
            this.noRouteStatus = status;
            return this;
        }

        /**
         * @param addresses addresses and CIDR ranges the gateway never connects to, such as
         *     {@code 169.254.0.0/16} or {@code fe80::/10}
         * @return this builder
         */
        @JsonProperty("prohibitedAddresses")
        public Builder prohibitedAddresses(List<String> addresses) {
            this.prohibitedAddresses = AddressRanges.check("prohibitedAddresses", addresses, "169.254.0.0/16");
            return this;
        }

        /**
         * @param accessLog {@code -} for standard output, a file path, or null for none
         * @return this builder
         */
        @JsonProperty("accessLog")
        public Builder accessLog(String accessLog) {
            if (accessLog != null && accessLog.isBlank()) {
                throw ConfigException.invalid("accessLog", "empty (expected: - for standard output, or a file path)");
            }
            this.accessLog = accessLog;
            return this;
        }

        /**
         * @param dnsCache how long upstream addresses are kept
         * @return this builder
         */
        @JsonProperty("dnsCache")
        public Builder dnsCache(DnsCaching dnsCache) {
            this.dnsCache = ConfigException.requireSection("dnsCache", dnsCache, "{ ttl: 30s }");
            return this;
        }

        /** @return the settings */
        public GatewaySettings build() {
            return new GatewaySettings(this);
        }
    }
}
