package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tracing with OpenTelemetry: a server span per request and a client span per upstream attempt,
 * sent over OTLP/HTTP. Off by default; off, no span is made, and {@code traceparent} and
 * {@code tracestate} pass through untouched. What this section does not name, the standard
 * {@code OTEL_*} environment variables set (such as {@code OTEL_RESOURCE_ATTRIBUTES} or
 * {@code OTEL_EXPORTER_OTLP_TIMEOUT}); what it names wins over them.
 *
 * <p>A reload applies {@code samplingRatio} and {@code trustIncoming}; the other keys are bound
 * when the gateway starts.
 *
 * @param enabled whether the gateway makes spans (default false)
 * @param endpoint where spans go, OTLP over HTTP (protobuf); empty for
 *     {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or
 *     {@value #DEFAULT_ENDPOINT}
 * @param serviceName the spans' {@code service.name}; empty for {@code OTEL_SERVICE_NAME} or else
 *     {@code gateway.name}
 * @param samplingRatio the share of new traces kept, from 0 to 1 (default 1); parent-based: a
 *     request whose trusted {@code traceparent} says sampled is always kept, one that says not
 *     sampled never is
 * @param trustIncoming whether a client's {@code traceparent} is the parent of the request's span
 *     (default true); false starts a new trace, linked to the client's, as a public edge should
 * @param headers extra headers for the exporter's requests, such as an API key (values never shown)
 * @param queueSize how many ended spans wait for export at most (default
 *     {@value #DEFAULT_QUEUE_SIZE}); beyond it spans are dropped and counted, never waited for
 */
@JsonDeserialize(builder = TracingConfig.Builder.class)
public record TracingConfig(boolean enabled, Optional<URI> endpoint, Optional<String> serviceName,
        double samplingRatio, boolean trustIncoming, Map<String, String> headers, int queueSize) {
    /** The endpoint when neither the config nor the environment names one: OTLP/HTTP's default. */
    public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
    /** Default {@code queueSize}. */
    public static final int DEFAULT_QUEUE_SIZE = 2048;
    /** The most exporter headers. */
    public static final int MAX_HEADERS = 32;

    private static final TracingConfig DEFAULTS = builder().build();

    /** Copies the headers. */
    public TracingConfig {
        headers = Map.copyOf(headers);
    }

    /** @return the defaults: tracing off */
    public static TracingConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param other another tracing section
     * @return whether the two differ only in what a reload applies ({@code samplingRatio},
     *     {@code trustIncoming})
     */
    public boolean sameExport(TracingConfig other) {
        return enabled == other.enabled && endpoint.equals(other.endpoint) && serviceName.equals(other.serviceName)
                && headers.equals(other.headers) && queueSize == other.queueSize;
    }

    /** @return a builder holding this section, to derive a changed copy */
    public Builder toBuilder() {
        Builder builder = builder().enabled(enabled).samplingRatio(samplingRatio).trustIncoming(trustIncoming)
                .headers(headers).queueSize(queueSize);
        endpoint.ifPresent(uri -> builder.endpoint = uri);
        serviceName.ifPresent(builder::serviceName);
        return builder;
    }

    @Override
    public String toString() {
        return "{enabled: " + enabled + ", endpoint: " + endpoint.map(URI::toString).orElse("(environment)")
                + ", serviceName: " + serviceName.orElse("(gateway.name)") + ", samplingRatio: " + samplingRatio
                + ", trustIncoming: " + trustIncoming + ", headers: " + headers.keySet() + " (values hidden)"
                + ", queueSize: " + queueSize + "}";
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TracingConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private boolean enabled;
        private URI endpoint;
        private String serviceName;
        private double samplingRatio = 1.0;
        private boolean trustIncoming = true;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int queueSize = DEFAULT_QUEUE_SIZE;

        private Builder() {
        }

        /** Sets {@link TracingConfig#enabled()}. */
        @JsonProperty("enabled")
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets {@link TracingConfig#endpoint()}: an {@code http} or {@code https} URL with a host. */
        @JsonProperty("endpoint")
        public Builder endpoint(String endpoint) {
            String expected = " (expected: an OTLP/HTTP traces URL such as http://127.0.0.1:4318/v1/traces)";
            if (endpoint == null || endpoint.isBlank()) {
                throw ConfigException.invalid("endpoint", "empty" + expected);
            }
            URI parsed;
            try {
                parsed = new URI(endpoint.strip());
            } catch (URISyntaxException e) {
                throw ConfigException.invalid("endpoint", ConfigValues.quote(endpoint) + " is not a URL" + expected);
            }
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
                throw ConfigException.invalid("endpoint", ConfigValues.quote(endpoint) + expected);
            }
            if (parsed.getRawUserInfo() != null) {
                throw ConfigException.invalid("endpoint", "a URL with user information (expected: no user:password@"
                        + " in the URL; put credentials in headers)");
            }
            this.endpoint = parsed;
            return this;
        }

        /** Sets {@link TracingConfig#serviceName()}: 1 to 128 printable characters. */
        @JsonProperty("serviceName")
        public Builder serviceName(String serviceName) {
            if (serviceName == null || serviceName.isBlank() || serviceName.length() > 128
                    || serviceName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw ConfigException.invalid("serviceName", (serviceName == null ? "empty"
                        : ConfigValues.quote(serviceName)) + " (expected: 1 to 128 printable characters, such as edge-1)");
            }
            this.serviceName = serviceName.strip();
            return this;
        }

        /** Sets {@link TracingConfig#samplingRatio()}: from 0 to 1. */
        @JsonProperty("samplingRatio")
        public Builder samplingRatio(double ratio) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw ConfigException.invalid("samplingRatio", ratio + " (expected: from 0 to 1, such as 0.1 for one"
                        + " new trace in ten)");
            }
            this.samplingRatio = ratio;
            return this;
        }

        /** Sets {@link TracingConfig#trustIncoming()}. */
        @JsonProperty("trustIncoming")
        public Builder trustIncoming(boolean trustIncoming) {
            this.trustIncoming = trustIncoming;
            return this;
        }

        /**
         * Replaces {@link TracingConfig#headers()}: at most {@value TracingConfig#MAX_HEADERS}, each
         * name an HTTP token, each value printable (no line breaks).
         */
        @JsonProperty("headers")
        public Builder headers(Map<String, String> headers) {
            if (headers == null) {
                throw ConfigException.invalid("headers", "empty (expected: a map such as { x-api-key: ... })");
            }
            if (headers.size() > MAX_HEADERS) {
                throw ConfigException.invalid("headers", headers.size() + " headers (expected: at most " + MAX_HEADERS
                        + ")");
            }
            this.headers.clear();
            headers.forEach((name, value) -> {
                if (name == null || name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
                    throw ConfigException.invalid("headers", (name == null ? "an empty name" : ConfigValues.quote(name))
                            + " (expected: a header name such as x-api-key)");
                }
                if (value == null || value.length() > 4096 || value.chars().anyMatch(c -> c < 0x20 && c != '\t'
                        || c == 0x7f)) {
                    // Never the value itself: it may be a real secret.
                    throw ConfigException.invalid("headers." + name, (value == null ? "empty" : value.length()
                            + " characters") + " (expected: up to 4096 printable characters, no line breaks)");
                }
                this.headers.put(name, value);
            });
            return this;
        }

        /** Sets {@link TracingConfig#queueSize()}: from 64 to 65536. */
        @JsonProperty("queueSize")
        public Builder queueSize(int queueSize) {
            this.queueSize = ConfigException.requireRange("queueSize", queueSize, 64, 65536, " spans");
            return this;
        }

        private static boolean isTokenChar(int c) {
            return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }

        /** @return the settings */
        public TracingConfig build() {
            return new TracingConfig(enabled, Optional.ofNullable(endpoint), Optional.ofNullable(serviceName),
                    samplingRatio, trustIncoming, headers, queueSize);
        }
    }
}
