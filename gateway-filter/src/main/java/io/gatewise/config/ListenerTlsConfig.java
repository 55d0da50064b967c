package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone server's TLS listener, the {@code gateway.tls:} section; without it there is
 * none. It serves the same routes as the cleartext listener, with HTTP/2 chosen by ALPN when
 * {@code gateway.http2} is on. Its port, protocols and list of certificates are read at start;
 * the certificate files' contents are read again whenever they change on disk.
 *
 * <p>Not to be confused with a route's {@link TlsConfig}, which is about trusting upstreams.
 *
 * @param port the listener's port (default {@value #DEFAULT_PORT}; 0 picks a free port)
 * @param certificates the certificates it serves, one or more; a client's SNI chooses among them
 *     (an exact name before a wildcard, then the first in this list), and the first one is served
 *     to a client that sends no SNI or a name none of them holds
 * @param protocols the TLS versions it accepts: {@code TLSv1.3} and {@code TLSv1.2} (the default
 *     both), or one of them
 */
@JsonDeserialize(builder = ListenerTlsConfig.Builder.class)
public record ListenerTlsConfig(int port, List<CertificateConfig> certificates, List<String> protocols) {
    /** Default {@code port}. */
    public static final int DEFAULT_PORT = 8443;
    /** Default {@code protocols}. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Copies the lists; the values are checked by the {@link Builder}, which is how to make one. */
    public ListenerTlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
    }

    @Override
    public String toString() {
        return "{port: " + port + ", certificates: " + certificates + ", protocols: " + protocols + "}";
    }

    /** @return a builder with the default port and protocols and no certificate yet */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ListenerTlsConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private List<CertificateConfig> certificates = new ArrayList<>();
        private List<String> protocols = DEFAULT_PROTOCOLS;

        private Builder() {
        }

        /** Sets {@link ListenerTlsConfig#port()}: 0 to 65535, 0 picks a free one. */
        @JsonProperty("port")
        public Builder port(int port) {
            this.port = ConfigException.requireRange("port", port, 0, 65535, "; 0 picks a free port");
            return this;
        }

        /** Sets {@link ListenerTlsConfig#certificates()}, replacing those added before. */
        @JsonProperty("certificates")
        public Builder certificates(List<CertificateConfig> certificates) {
            if (certificates == null) {
                throw ConfigException.invalid("certificates", "empty (expected: a list such as"
                        + " [{certificate: /etc/gatewise/tls/shop.crt, privateKey: /etc/gatewise/tls/shop.key}])");
            }
            for (int i = 0; i < certificates.size(); i++) {
                if (certificates.get(i) == null) {
                    throw ConfigException.invalid("certificates[" + i + "]", "empty (expected: a mapping with"
                            + " certificate and privateKey)");
                }
            }
            this.certificates = new ArrayList<>(certificates);
            return this;
        }

        /** Adds one certificate to {@link ListenerTlsConfig#certificates()}. */
        public Builder certificate(CertificateConfig certificate) {
            if (certificate == null) {
                throw ConfigException.invalid("certificates[" + certificates.size() + "]", "empty (expected: a"
                        + " mapping with certificate and privateKey)");
            }
            certificates.add(certificate);
            return this;
        }

        /** Sets {@link ListenerTlsConfig#protocols()}: {@code TLSv1.3}, {@code TLSv1.2}, each at most once. */
        @JsonProperty("protocols")
        public Builder protocols(List<String> protocols) {
            if (protocols == null || protocols.isEmpty()) {
                throw ConfigException.invalid("protocols", (protocols == null ? "empty" : "an empty list")
                        + " (expected: [TLSv1.3, TLSv1.2], or one of them)");
            }
            for (int i = 0; i < protocols.size(); i++) {
                String protocol = protocols.get(i);
                if (!DEFAULT_PROTOCOLS.contains(protocol)) {
                    throw ConfigException.invalid("protocols[" + i + "]", ConfigValues.quote(protocol)
                            + " (expected: TLSv1.3 or TLSv1.2; older versions are broken)");
                }
                if (protocols.subList(0, i).contains(protocol)) {
                    throw ConfigException.invalid("protocols[" + i + "]", ConfigValues.quote(protocol)
                            + " is listed twice (expected: each version once)");
                }
            }
            this.protocols = List.copyOf(protocols);
            return this;
        }

        /**
         * @return the listener's settings
         * @throws ConfigException if no certificate is given
         */
        public ListenerTlsConfig build() {
            if (certificates.isEmpty()) {
                throw ConfigException.invalid("certificates", "missing or empty (expected: one or more entries"
                        + " such as {certificate: /etc/gatewise/tls/shop.crt, privateKey: /etc/gatewise/tls/shop.key})");
            }
            return new ListenerTlsConfig(port, certificates, protocols);
        }
    }
}
