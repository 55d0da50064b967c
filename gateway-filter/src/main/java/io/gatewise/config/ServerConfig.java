package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.List;
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
 */
@JsonDeserialize(builder = ServerConfig.Builder.class)
public record ServerConfig(String name, String host, int port, int noRouteStatus, List<String> prohibitedAddresses,
        String accessLog, DnsCacheConfig dnsCache) {
    /** Default {@code name}. */
    public static final String DEFAULT_NAME = "gatewise";
    /** Default {@code port} of the standalone server. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@code noRouteStatus}. */
    public static final int DEFAULT_NO_ROUTE_STATUS = 500;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,63}");
    private static final ServerConfig DEFAULTS = builder().build();

    /** Copies the list; the values are checked by the {@link Builder}, which is how to make one. */
    public ServerConfig {
        prohibitedAddresses = List.copyOf(prohibitedAddresses);
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

    /** Builds {@link ServerConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host;
        private int port = DEFAULT_PORT;
        private int noRouteStatus = DEFAULT_NO_ROUTE_STATUS;
        private List<String> prohibitedAddresses = List.of();
        private String accessLog;
        private DnsCacheConfig dnsCache = DnsCacheConfig.defaults();

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

        /** @return the settings */
        public ServerConfig build() {
            return new ServerConfig(name, host, port, noRouteStatus, prohibitedAddresses, accessLog, dnsCache);
        }
    }
}
