package io.gatewise.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.CertificateConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TracingConfig;
import java.net.URI;
import io.gatewise.config.ServerConfig;
import io.gatewise.testing.tls.ListenerCertificateFiles;
import io.gatewise.testing.tls.ListenerCertificateFiles.KeyFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload keeps the running listeners: HTTP/2 and the TLS listener's keys wait for a restart. */
class RestartOnlyKeysTest {
    @TempDir
    Path dir;

    private CertificateConfig certificate(String name) throws Exception {
        Path folder = ListenerCertificateFiles.write(dir.resolve(name), ListenerCertificateFiles.issue(name,
                List.of(name), "EC", Duration.ofDays(30)), KeyFormat.PKCS8);
        return CertificateConfig.builder().certificate(folder.resolve("tls.crt").toString())
                .privateKey(folder.resolve("tls.key").toString()).build();
    }

    private static GatewayConfig config(ServerConfig.Builder server) {
        return GatewayConfig.builder().gateway(server.build())
                .route(RouteConfig.builder().path("/").upstream("http://127.0.0.1:9001").build()).build();
    }

    @Test
    void changedListenerKeysAreNamedAndKeepTheirRunningValues() throws Exception {
        ListenerTlsConfig running = ListenerTlsConfig.builder().port(8443).certificate(certificate("a.example")).build();
        ListenerTlsConfig next = ListenerTlsConfig.builder().port(9443).certificate(certificate("a.example"))
                .protocols(List.of("TLSv1.3")).build();

        RestartOnlyKeys.Applied applied = RestartOnlyKeys.apply(config(ServerConfig.builder().tls(running)),
                config(ServerConfig.builder().http2(false).tls(next)));

        assertThat(applied.restartRequired()).containsExactly("gateway.http2", "gateway.tls.port",
                "gateway.tls.protocols");
        assertThat(applied.config().gateway().http2()).isTrue();
        assertThat(applied.config().gateway().tls()).contains(running);
    }

    @Test
    void addingTheTlsSectionWaitsForARestart() throws Exception {
        ListenerTlsConfig added = ListenerTlsConfig.builder().certificate(certificate("b.example")).build();

        RestartOnlyKeys.Applied applied = RestartOnlyKeys.apply(config(ServerConfig.builder()),
                config(ServerConfig.builder().tls(added)));

        assertThat(applied.restartRequired()).containsExactly("gateway.tls.port", "gateway.tls.certificates",
                "gateway.tls.protocols");
        assertThat(applied.config().gateway().tls()).isEmpty();
        assertThat(RestartOnlyKeys.apply(config(ServerConfig.builder().tls(added)),
                config(ServerConfig.builder().tls(added))).restartRequired()).isEmpty();
    }

    @Test
    void aReloadAppliesTheSamplingRatioAndTrustButKeepsTheRunningExporter() {
        TracingConfig running = TracingConfig.builder().enabled(true).endpoint("http://127.0.0.1:4318/v1/traces")
                .samplingRatio(1.0).build();
        GatewayConfig base = config(ServerConfig.builder());

        RestartOnlyKeys.Applied tuned = RestartOnlyKeys.apply(base.toBuilder().tracing(running).build(),
                base.toBuilder().tracing(running.toBuilder().samplingRatio(0.1).trustIncoming(false).build()).build());
        RestartOnlyKeys.Applied moved = RestartOnlyKeys.apply(base.toBuilder().tracing(running).build(),
                base.toBuilder().tracing(running.toBuilder().endpoint("http://127.0.0.1:4319/v1/traces")
                        .samplingRatio(0.5).build()).build());

        assertThat(tuned.restartRequired()).isEmpty();
        assertThat(tuned.config().tracing().samplingRatio()).isEqualTo(0.1);
        assertThat(tuned.config().tracing().trustIncoming()).isFalse();
        assertThat(moved.restartRequired()).containsExactly("tracing");
        assertThat(moved.config().tracing().endpoint()).contains(URI.create("http://127.0.0.1:4318/v1/traces"));
        assertThat(moved.config().tracing().samplingRatio()).as("still applied").isEqualTo(0.5);
    }
}
