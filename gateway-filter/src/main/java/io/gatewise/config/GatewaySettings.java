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
 * @param dnsCache how long upstream addresses are kept (default {@link DnsCaching#defaults()})
 */
@JsonDeserialize(builder = GatewaySettings.Builder.class)
public record GatewaySettings(String name, String host, int port, int noRouteStatus, List<String> prohibitedAddresses,
        String accessLog, DnsCaching dnsCache) {
    /** Default {@code name}. */
    public static final String DEFAULT_NAME = "gatewise";
    /** Default {@code port} of the standalone server. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@code noRouteStatus}. */
    public static final int DEFAULT_NO_ROUTE_STATUS = 500;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,63}");
    private static final GatewaySettings DEFAULTS = builder().build();

    /** Copies the list; the values are checked by the {@link Builder}, which is how to make one. */
    public GatewaySettings {
        prohibitedAddresses = List.copyOf(prohibitedAddresses);
    }

    /** @return the defaults */
    public static GatewaySettings defaults() {
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

    /** Builds {@link GatewaySettings}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host;
        private int port = DEFAULT_PORT;
        private int noRouteStatus = DEFAULT_NO_ROUTE_STATUS;
        private List<String> prohibitedAddresses = List.of();
        private String accessLog;
        private DnsCaching dnsCache = DnsCaching.defaults();

        private Builder() {
        }

        /**
         * Sets {@link GatewaySettings#name()}: a letter, then letters, digits or
         * {@code -._:/*!#$%&'+^`|~}, at most 64 characters.
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
         * Sets {@link GatewaySettings#host()}, such as {@code 127.0.0.1}; null, {@code *} or
         * {@code 0.0.0.0} for all interfaces.
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

        /** Sets {@link GatewaySettings#port()}: 0 to 65535, 0 picks a free one. */
        @JsonProperty("port")
        public Builder port(int port) {
            this.port = ConfigException.requireRange("port", port, 0, 65535, "; 0 picks a free port");
            return this;
        }

        /** Sets {@link GatewaySettings#noRouteStatus()}: 500 or 404. */
        @JsonProperty("noRouteStatus")
        public Builder noRouteStatus(int status) {
            if (status != 500 && status != 404) {
                throw ConfigException.invalid("noRouteStatus", status + " (expected: 500 or 404)");
            }
            this.noRouteStatus = status;
            return this;
        }

        /** Sets {@link GatewaySettings#prohibitedAddresses()}, such as {@code 169.254.0.0/16} or {@code fe80::/10}. */
        @JsonProperty("prohibitedAddresses")
        public Builder prohibitedAddresses(List<String> addresses) {
            this.prohibitedAddresses = AddressRanges.check("prohibitedAddresses", addresses, "169.254.0.0/16");
            return this;
        }

        /** Sets {@link GatewaySettings#accessLog()}: {@code -} for standard output, a file path, or null for none. */
        @JsonProperty("accessLog")
        public Builder accessLog(String accessLog) {
            if (accessLog != null && accessLog.isBlank()) {
                throw ConfigException.invalid("accessLog", "empty (expected: - for standard output, or a file path)");
            }
            this.accessLog = accessLog;
            return this;
        }

        /** Sets {@link GatewaySettings#dnsCache()}. */
        @JsonProperty("dnsCache")
        public Builder dnsCache(DnsCaching dnsCache) {
            this.dnsCache = ConfigException.requireSection("dnsCache", dnsCache, "{ ttl: 30s }");
            return this;
        }

        /** @return the settings */
        public GatewaySettings build() {
            return new GatewaySettings(name, host, port, noRouteStatus, prohibitedAddresses, accessLog, dnsCache);
        }
    }
}
