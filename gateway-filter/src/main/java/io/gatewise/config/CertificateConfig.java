package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One certificate the gateway's TLS listener serves, an entry of {@code gateway.tls.certificates}:
 * two PEM files, read and checked as a pair when the configuration is built (see
 * {@link PemKeyPair#read}), so a missing file, a file that is not PEM or a key that is not the
 * certificate's stops start-up with the key and the file named. The listener reads them again
 * whenever their content changes on disk; the paths themselves are read at start.
 *
 * <p>Not to be confused with a route's {@link TlsConfig}, which is about trusting upstreams.
 *
 * @param certificate the PEM file of the certificate chain, leaf first, such as
 *     {@code /etc/gatewise/tls/shop.crt}
 * @param privateKey the PEM file of the leaf's private key, unencrypted: PKCS#8, PKCS#1 (RSA) or
 *     SEC1 (EC), such as {@code /etc/gatewise/tls/shop.key}
 */
@JsonDeserialize(builder = CertificateConfig.Builder.class)
public record CertificateConfig(Path certificate, Path privateKey) {
    @Override
    public String toString() {
        return "{certificate: " + certificate + ", privateKey: " + privateKey + "}";
    }

    /** @return a builder with neither file set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the pair now, as the listener does when a file changes.
     *
     * @return the chain and key
     * @throws PemKeyPair.UnusableException naming the file at fault and what is wrong
     */
    public PemKeyPair read() throws PemKeyPair.UnusableException {
        return PemKeyPair.read(certificate, privateKey);
    }

    /** Builds {@link CertificateConfig}; {@link #build()} reads the pair and checks it. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Path certificate;
        private Path privateKey;

        private Builder() {
        }

        /** Sets {@link CertificateConfig#certificate()}: a file path. */
        @JsonProperty("certificate")
        public Builder certificate(String certificate) {
            this.certificate = path("certificate", certificate, "the PEM file of the certificate chain, leaf first");
            return this;
        }

        /** Sets {@link CertificateConfig#privateKey()}: a file path. */
        @JsonProperty("privateKey")
        public Builder privateKey(String privateKey) {
            this.privateKey = path("privateKey", privateKey, "the PEM file of the certificate's private key");
            return this;
        }

        private static Path path(String key, String value, String expected) {
            if (value == null || value.isBlank()) {
                throw ConfigException.invalid(key, "empty (expected: " + expected + ")");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw ConfigException.invalid(key, ConfigValues.quote(value) + " is not a file path (expected: "
                        + expected + ")");
            }
        }

        /**
         * @return the entry
         * @throws ConfigException naming {@code certificate} or {@code privateKey} if a file is not
         *     set, or the pair cannot be read or does not match
         */
        public CertificateConfig build() {
            if (certificate == null) {
                throw ConfigException.invalid("certificate", "missing (expected: the PEM file of the certificate"
                        + " chain, leaf first, beside privateKey)");
            }
            if (privateKey == null) {
                throw ConfigException.invalid("privateKey", "missing (expected: the PEM file of the certificate's"
                        + " private key, beside certificate)");
            }
            CertificateConfig config = new CertificateConfig(certificate, privateKey);
            try {
                config.read();
            } catch (PemKeyPair.UnusableException e) {
                throw ConfigException.invalid(e.part().key(), e.problem());
            } catch (NoClassDefFoundError e) {
                // A WAR leaves Bouncy Castle out: its container terminates TLS, so the section has no place there.
                throw ConfigException.invalid("certificate", "cannot be read here: the PEM reader (Bouncy Castle's"
                        + " bcpkix) is not on the class path. gateway.tls is for the standalone server"
                        + " (gatewise.jar, GatewayServer); in a WAR the container terminates TLS");
            }
            return config;
        }
    }
}
