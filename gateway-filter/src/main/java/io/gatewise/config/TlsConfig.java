package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

/**
 * How the gateway checks the certificates of a route's {@code https} upstreams.
 *
 * <p>Host names are always checked against the certificate. The file is read and checked when
 * the configuration is built, so a missing or unreadable file stops start-up.
 *
 * @param caFile a PEM file of the certificate authorities to trust instead of the JDK's default
 *     ones, for upstreams with certificates from an internal CA (default: none, the JDK's)
 * @param trustStore the authorities read from {@code caFile}, as a key store; empty for the JDK's
 */
@JsonDeserialize(builder = TlsConfig.Builder.class)
public record TlsConfig(Optional<Path> caFile, Optional<KeyStore> trustStore) {
    private static final TlsConfig DEFAULTS = builder().build();

    /** @return the defaults: the JDK's trusted authorities */
    public static TlsConfig defaults() {
        return DEFAULTS;
    }

    /** Equal when the file is: a key store compares by identity, and each load makes a new one. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TlsConfig && caFile.equals(((TlsConfig) other).caFile);
    }

    @Override
    public int hashCode() {
        return caFile.hashCode();
    }

    @Override
    public String toString() {
        return "{caFile: " + caFile.map(Object::toString).orElse("JDK default") + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TlsConfig}; the CA file is read as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Path caFile;
        private KeyStore trustStore;

        private Builder() {
        }

        /**
         * Sets {@link TlsConfig#caFile()} and reads it.
         *
         * @param caFile a PEM file holding one or more CA certificates
         * @return this builder
         * @throws ConfigException if the file is missing, unreadable or holds no certificate
         */
        @JsonProperty("caFile")
        public Builder caFile(String caFile) {
            if (caFile == null || caFile.isBlank()) {
                throw ConfigException.invalid("caFile", "empty (expected: the path of a PEM file of CA certificates)");
            }
            Path path;
            try {
                path = Path.of(caFile);
            } catch (InvalidPathException e) {
                throw ConfigException.invalid("caFile", ConfigValues.quote(caFile)
                        + " is not a file path (expected: the path of a PEM file of CA certificates)");
            }
            this.trustStore = load(path);
            this.caFile = path;
            return this;
        }

        private static KeyStore load(Path path) {
            try (InputStream in = Files.newInputStream(path)) {
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                        .generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw ConfigException.invalid("caFile", ConfigValues.quote(path.toString())
                            + " holds no certificate (expected: a PEM file of CA certificates)");
                }
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int index = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + index++, certificate);
                }
                return store;
            } catch (NoSuchFileException e) {
                throw ConfigException.invalid("caFile", ConfigValues.quote(path.toString())
                        + ": no such file (expected: a PEM file of CA certificates)");
            } catch (IOException | GeneralSecurityException e) {
                throw ConfigException.invalid("caFile", ConfigValues.quote(path.toString())
                        + " cannot be read as PEM certificates: " + e.getMessage()
                        + " (expected: a PEM file of CA certificates)");
            }
        }

        /** @return the settings */
        public TlsConfig build() {
            return new TlsConfig(Optional.ofNullable(caFile), Optional.ofNullable(trustStore));
        }
    }
}
