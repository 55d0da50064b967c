package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway checks the certificates of a route's {@code https} upstreams.
 *
 * <ul>
 *   <li>{@code caFile}: a PEM file of the certificate authorities to trust instead of the JDK's
 *       default ones, for upstreams with certificates from an internal CA (default: the JDK's).</li>
 * </ul>
 *
 * <p>Host names are always checked against the certificate. The file is read and checked when
 * the configuration is built, so a missing or unreadable file stops start-up.
 */
@JsonDeserialize(builder = TlsSettings.Builder.class)
public final class TlsSettings {
    private static final TlsSettings DEFAULTS = builder().build();

    private final Path caFile;
    private final KeyStore trustStore;

    private TlsSettings(Builder builder) {
        this.caFile = builder.caFile;
        this.trustStore = builder.trustStore;
    }

    /** @return the defaults: the JDK's trusted authorities */
    public static TlsSettings defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the PEM file of trusted authorities, if one is configured */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /** @return the trusted authorities from {@link #caFile()}, as a key store; empty for the JDK's */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsSettings && Objects.equals(caFile, ((TlsSettings) other).caFile);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(caFile);
    }

    @Override
    public String toString() {
        return "{caFile: " + (caFile == null ? "JDK default" : caFile) + "}";
    }

    /** Builds {@link TlsSettings}. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private Path caFile;
        private KeyStore trustStore;

        private Builder() {
        }

        /**
         * @param caFile a PEM file holding one or more CA certificates
         * @return this builder
         * @throws ConfigException if the file is missing, unreadable or holds no certificate
         */
        @JsonProperty("caFile")
        public Builder caFile(String caFile) {
            if (caFile == null || caFile.isBlank()) {
                throw ConfigException.invalid("caFile", "empty (expected: the path of a PEM file of CA certificates)");
            }
            Path path = Path.of(caFile);
            this.trustStore = load(path);
            this.caFile = path;
            return this;
        }

        private static KeyStore load(Path path) {
            try (InputStream in = Files.newInputStream(path)) {
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                        .generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw ConfigException.invalid("caFile", "\"" + path + "\" holds no certificate (expected: a PEM"
                            + " file of CA certificates)");
                }
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int index = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + index++, certificate);
                }
                return store;
            } catch (NoSuchFileException e) {
                throw ConfigException.invalid("caFile", "\"" + path + "\": no such file (expected: a PEM file of CA"
                        + " certificates)");
            } catch (IOException | GeneralSecurityException e) {
                throw ConfigException.invalid("caFile", "\"" + path + "\" cannot be read as PEM certificates: "
                        + e.getMessage() + " (expected: a PEM file of CA certificates)");
            }
        }

        /** @return the settings */
        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
