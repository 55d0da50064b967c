package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The {@code tracing} section: its defaults, what loads, where each mistake is reported, and its secrets kept. */
class TracingConfigTest {
    private static final String SECRET = "s3cret-collector-key-5521";

    private static String yaml(String tracing) {
        return String.join("\n",
                tracing,
                "routes:",
                "  - path: /api/",
                "    upstreams:",
                "      - url: http://127.0.0.1:9001",
                "");
    }

    private static TracingConfig load(String tracing) {
        return ConfigLoader.parse(yaml(tracing), "g.yaml").tracing();
    }

    /** Checks that a setting is refused with a {@link ConfigException} naming the key. */
    private static void refused(ThrowingCallable setting, String key) {
        assertThatThrownBy(setting).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .asInstanceOf(type(ConfigException.class))
                .extracting(ConfigException::key).isEqualTo(key);
    }

    @Test
    void tracingIsOffByDefault() {
        TracingConfig defaults = load("gateway: { name: edge-1 }");

        assertThat(defaults).isEqualTo(TracingConfig.defaults());
        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.endpoint()).isEmpty();
        assertThat(defaults.serviceName()).isEmpty();
        assertThat(defaults.samplingRatio()).isEqualTo(1.0);
        assertThat(defaults.trustIncoming()).isTrue();
        assertThat(defaults.headers()).isEmpty();
        assertThat(defaults.queueSize()).isEqualTo(TracingConfig.DEFAULT_QUEUE_SIZE);
    }

    @Test
    void theSectionsKeysLoad() {
        TracingConfig tracing = load(String.join("\n",
                "tracing:",
                "  enabled: true",
                "  endpoint: http://127.0.0.1:4318/v1/traces",
                "  serviceName: edge-eu-1",
                "  samplingRatio: 0.25",
                "  trustIncoming: false",
                "  headers:",
                "    x-api-key: " + SECRET,
                "    x-tenant: acme",
                "  queueSize: 4096"));

        assertThat(tracing).isEqualTo(new TracingConfig(true, Optional.of(URI.create("http://127.0.0.1:4318/v1/traces")),
                Optional.of("edge-eu-1"), 0.25, false, Map.of("x-api-key", SECRET, "x-tenant", "acme"), 4096));
        assertThat(tracing.toString())
                .contains("endpoint: http://127.0.0.1:4318/v1/traces", "serviceName: edge-eu-1", "samplingRatio: 0.25",
                        "trustIncoming: false", "x-api-key", "x-tenant", "queueSize: 4096")
                .doesNotContain(SECRET)
                .doesNotContain("acme");
        assertThat(tracing.toBuilder().build()).as("a copy").isEqualTo(tracing);
    }

    @Test
    void aReloadMayChangeTheRatioAndTheTrustButNothingElse() {
        TracingConfig running = TracingConfig.builder().enabled(true).endpoint("http://127.0.0.1:4318/v1/traces")
                .build();

        assertThat(running.sameExport(running.toBuilder().samplingRatio(0.5).trustIncoming(false).build())).isTrue();
        assertThat(running.sameExport(running.toBuilder().queueSize(64).build())).isFalse();
        assertThat(running.sameExport(running.toBuilder().headers(Map.of("x-api-key", SECRET)).build())).isFalse();
        assertThat(running.sameExport(running.toBuilder().endpoint("http://127.0.0.1:4319/v1/traces").build()))
                .isFalse();
    }

    @Test
    void eachBadValueIsRefusedNamingItsKey() {
        refused(() -> TracingConfig.builder().samplingRatio(1.5), "samplingRatio");
        refused(() -> TracingConfig.builder().samplingRatio(-0.1), "samplingRatio");
        refused(() -> TracingConfig.builder().samplingRatio(Double.NaN), "samplingRatio");
        refused(() -> TracingConfig.builder().endpoint("ftp://x"), "endpoint");
        refused(() -> TracingConfig.builder().endpoint("http:///v1/traces"), "endpoint");
        refused(() -> TracingConfig.builder().endpoint(" "), "endpoint");
        refused(() -> TracingConfig.builder().headers(Map.of("bad name", "v")), "headers");
        refused(() -> TracingConfig.builder().headers(Map.of("x-api-key", "a\nb")), "headers.x-api-key");
        refused(() -> TracingConfig.builder().serviceName(""), "serviceName");
        refused(() -> TracingConfig.builder().queueSize(1), "queueSize");
        refused(() -> TracingConfig.builder().queueSize(65537), "queueSize");
        assertThatThrownBy(() -> TracingConfig.builder().samplingRatio(1.5))
                .hasMessageContaining("1.5 (expected: from 0 to 1");
        assertThatThrownBy(() -> TracingConfig.builder().queueSize(1)).hasMessageContaining("1 (expected: 64 to 65536");
        assertThatThrownBy(() -> TracingConfig.builder().headers(Map.of("bad name", "v")))
                .hasMessageContaining("\"bad name\"");
    }

    @Test
    void noSecretIsShownInAnError() {
        String password = "pw-" + SECRET;
        refused(() -> TracingConfig.builder().endpoint("http://user:" + password + "@127.0.0.1/"), "endpoint");
        assertThatThrownBy(() -> TracingConfig.builder().endpoint("http://user:" + password + "@127.0.0.1/"))
                .hasMessageNotContaining(password)
                .hasMessageContaining("headers");
        assertThatThrownBy(() -> TracingConfig.builder().headers(Map.of("x-api-key", SECRET + "\r\nX-Injected: 1")))
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("X-Injected");
    }

    @Test
    void mistakesInTheFileAreReportedWhereTheyAre() {
        assertThatThrownBy(() -> load("tracing:\n  samplingRatio: 2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("g.yaml:2:")
                .hasMessageContaining("tracing.samplingRatio: 2.0 (expected: from 0 to 1");
        assertThatThrownBy(() -> load("tracing:\n  endpoint: ftp://collector"))
                .hasMessageContaining("tracing.endpoint: ");
        assertThatThrownBy(() -> load("tracing:\n  queueSize: 10"))
                .hasMessageContaining("tracing.queueSize: 10 (expected: 64 to 65536");
        assertThatThrownBy(() -> load("tracing:\n  headers:\n    x-api-key: \"" + SECRET + "\\nX-Injected: 1\""))
                .hasMessageStartingWith("g.yaml:3:")
                .hasMessageContaining("tracing.headers.x-api-key: 39 characters (expected: up to 4096 printable")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> load("tracing:\n  sampling: 0.5"))
                .hasMessageContaining("tracing.sampling")
                .hasMessageContaining("samplingRatio");
        assertThatThrownBy(() -> load("tracing:"))
                .hasMessageContaining("tracing");
    }
}
