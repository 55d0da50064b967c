package io.gatewise.proxy;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.client.ClientSettings;
import io.gatewise.client.TlsHandshakeFailures;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.tls.AlertingTlsUpstream;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TlsUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS failures towards the upstream, with certificates generated in the test and real TLS servers
 * on loopback. The gateway trusts the test CA through the route's {@code tls.caFile}, as an
 * operator with an internal CA would configure it.
 */
class TlsFaultsTest {
    @TempDir
    static Path dir;

    private static String caFile;

    @RegisterExtension
    // These tests read the whole RFC 9209 member: next-hop and every parameter, what proxyStatus: full shows.
    // The visitor view is InformationExposureTest's.
    final GatewayExtension gateways = new GatewayExtension()
            .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL));

    @BeforeAll
    static void writeCaFile() throws Exception {
        caFile = Files.writeString(dir.resolve("test-ca.pem"), TestCertificates.caPem()).toString();
    }

    private static RouteConfig route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url).tls(TlsConfig.builder().caFile(caFile).build())
                .build();
    }

    private UpstreamFailure expectCertificateError(Leaf leaf) throws Exception {
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(leaf));
        RunningGateway gateway = gateways.start(route(upstream.url()));

        UpstreamFailure failure = assertAnswered(gateway, gateway.get("/api/users"),
                ProxyErrorType.TLS_CERTIFICATE_ERROR, 502, FailureCause.TLS, Phase.TLS,
                "127.0.0.1:" + upstream.port());
        assertThat(failure.upstreamMayHaveSeenRequest()).isFalse();
        assertThat(upstream.handledRequests()).as("no request reached the upstream").isZero();
        return failure;
    }

    @Test
    void upstreamWithATrustedCertificateIsProxied() throws Exception {
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        RunningGateway gateway = gateways.start(route(upstream.url()));
        ContentResponse response = gateway.get("/api/users");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo(TlsUpstream.BODY);
    }

    @Test
    void selfSignedCertificateIsTlsCertificateError502() throws Exception {
        assertThat(expectCertificateError(Leaf.SELF_SIGNED).reason()).contains("not issued by a trusted authority");
    }

    @Test
    void certificateFromAnUnknownAuthorityIsTlsCertificateError502() throws Exception {
        assertThat(expectCertificateError(Leaf.UNKNOWN_CA).reason()).contains("not issued by a trusted authority");
    }

    @Test
    void expiredCertificateIsTlsCertificateError502ThatSaysExpired() throws Exception {
        assertThat(expectCertificateError(Leaf.EXPIRED).reason()).isEqualTo("certificate expired");
    }

    @Test
    void certificateForAnotherHostIsTlsCertificateError502() throws Exception {
        assertThat(expectCertificateError(Leaf.WRONG_HOST).reason()).contains("names do not match");
    }

    @Test
    void plainHttpBehindAnHttpsUrlIsTlsProtocolError502() throws Exception {
        JettyUpstream plain = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.start(route(plain.url().replace("http://", "https://")));

        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.TLS_PROTOCOL_ERROR, 502, FailureCause.TLS,
                Phase.TLS, plain.url().substring("http://".length()));
    }

    @Test
    void handshakeAnsweredWithAnAlertIsTlsAlertReceived502WithTheAlert() throws Exception {
        AlertingTlsUpstream upstream = gateways.alertingTlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        // Never ejected: every request below reaches the upstream's handshake.
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url())
                .tls(TlsConfig.builder().caFile(caFile).build())
                .ejection(EjectionConfig.builder().consecutiveFailures(0).build()).build());
        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.TLS_ALERT_RECEIVED, 502, FailureCause.TLS, Phase.TLS,
                "127.0.0.1:" + upstream.port());
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("alert-id", 40L).containsEntry("alert-message", "handshake_failure");

        // Jetty's client sometimes tells the request of its own failed write before the alert it
        // read (about one exchange in 100; FailoverTest stages it): the alert is still the answer.
        assertThat(gateway.server().gateway().proxyRuntime().clients().clientFor(ClientSettings.of(route(upstream.url())))
                .getBeans(TlsHandshakeFailures.class)).as("the upstream client hears each handshake").hasSize(1);
        for (int i = 0; i < 100; i++) {
            assertThat(RunningGateway.lastProxyStatusMember(gateway.get("/api/users")).parameters())
                    .as("exchange " + i).containsEntry("error", "tls_alert_received");
        }
    }
}
