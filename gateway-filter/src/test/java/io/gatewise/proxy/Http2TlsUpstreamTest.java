package io.gatewise.proxy;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.CertificateConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.GrpcUpstream;
import io.gatewise.testing.H2cGateway;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.tls.AlpnUpstream;
import io.gatewise.testing.tls.ListenerCertificateFiles;
import io.gatewise.testing.tls.ListenerCertificateFiles.Issued;
import io.gatewise.testing.tls.ListenerCertificateFiles.KeyFormat;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's {@code protocol} over TLS, where ALPN chooses: what each setting speaks to an upstream
 * that offers {@code h2}, {@code http/1.1} or both, an ALPN that agrees on nothing, and gRPC to a
 * grpc-java server over h2 with certificates generated in the test.
 */
class Http2TlsUpstreamTest {
    @TempDir
    static Path dir;

    private static String caFile;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension()
            .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL));

    @BeforeAll
    static void writeCaFile() throws Exception {
        caFile = Files.writeString(dir.resolve("test-ca.pem"), TestCertificates.caPem()).toString();
    }

    private static RouteConfig route(String protocol, String url) {
        return RouteConfig.builder().path("/api/").protocol(protocol).upstream(url)
                .tls(TlsConfig.builder().caFile(caFile).build()).build();
    }

    private AlpnUpstream upstream(String... protocols) throws Exception {
        return gateways.alpnUpstream(TestCertificates.serverKeyStore(Leaf.VALID), protocols);
    }

    private String protocolSpoken(String routeProtocol, String... upstreamProtocols) throws Exception {
        RunningGateway gateway = gateways.start(route(routeProtocol, upstream(upstreamProtocols).url()));
        ContentResponse response = gateway.get("/api/orders");
        assertThat(response.getStatus()).isEqualTo(200);
        return (String) EchoServlet.parse(response.getContentAsString()).get("protocol");
    }

    @Test
    void autoLetsAlpnChoose() throws Exception {
        assertThat(protocolSpoken("auto", "h2", "http/1.1")).isEqualTo("HTTP/2.0");
        assertThat(protocolSpoken("auto", "http/1.1")).isEqualTo("HTTP/1.1");
    }

    @Test
    void http1OffersOnlyHttp1() throws Exception {
        assertThat(protocolSpoken("http1", "h2", "http/1.1")).isEqualTo("HTTP/1.1");
    }

    @Test
    void h2OffersOnlyH2() throws Exception {
        assertThat(protocolSpoken("h2", "h2", "http/1.1")).isEqualTo("HTTP/2.0");
    }

    @Test
    void alpnThatAgreesOnNothingIsATlsFailureBeforeTheRequestThatSaysWhatWasOffered() throws Exception {
        AlpnUpstream upstream = upstream("http/1.1");
        RunningGateway gateway = gateways.start(route("h2", upstream.url()));

        // The JDK's client reports the refused handshake as an alert, or as the peer closing: either way a TLS failure.
        UpstreamFailure failure = assertAnswered(gateway, gateway.get("/api/orders"), ProxyErrorType.TLS_ALERT_RECEIVED,
                502, FailureCause.TLS, Phase.TLS, upstream.url().substring("https://".length()));

        assertThat(failure.reason()).contains("ALPN offered only h2");
        assertThat(failure.upstreamMayHaveSeenRequest()).isFalse();
    }

    @Test
    void grpcOverTlsOnBothLegs() throws Exception {
        // The client's leg: the gateway's TLS listener, h2 by ALPN, with a certificate made here.
        Issued listener = ListenerCertificateFiles.issue("localhost", List.of("localhost", "127.0.0.1"), "EC",
                Duration.ofDays(30));
        Path files = ListenerCertificateFiles.write(dir.resolve("listener"), listener, KeyFormat.PKCS8);
        // The upstream's leg: a grpc-java server over TLS, h2 by ALPN, its CA trusted by the route.
        try (GrpcUpstream upstream = GrpcUpstream.startTls(TestCertificates.privateKey(Leaf.VALID),
                TestCertificates.chain(Leaf.VALID))) {
            callThroughTlsListener(files, listener, upstream);
        }
    }

    private void callThroughTlsListener(Path files, Issued listener, GrpcUpstream upstream) throws Exception {
        RunningGateway gateway = gateways.builder().settings(settings -> settings.tls(ListenerTlsConfig.builder()
                        .port(0).certificate(CertificateConfig.builder().certificate(files.resolve("tls.crt").toString())
                                .privateKey(files.resolve("tls.key").toString()).build()).build()))
                .route(RouteConfig.builder().path("/" + SimpleServiceGrpc.SERVICE_NAME + "/")
                        .upstream("https://127.0.0.1:" + upstream.port())
                        .tls(TlsConfig.builder().caFile(caFile).build()).build())
                .start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", gateway.server().tlsPort().orElseThrow())
                .sslContext(GrpcSslContexts.forClient().trustManager(listener.leaf()).build()).build();
        try {
            String answer = SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("tls both ways").build()).getResponseMessage();
            assertThat(answer).isEqualTo("echo tls both ways");
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void grpcOverH2ChosenByAlpn() throws Exception {
        try (GrpcUpstream upstream = GrpcUpstream.startTls(TestCertificates.privateKey(Leaf.VALID),
                TestCertificates.chain(Leaf.VALID));
                H2cGateway gateway = H2cGateway.start(GatewayConfig.builder().route(RouteConfig.builder()
                        .path("/" + SimpleServiceGrpc.SERVICE_NAME + "/").upstream("https://127.0.0.1:" + upstream.port())
                        .tls(TlsConfig.builder().caFile(caFile).build()).build()).build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
            try {
                String answer = SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("over tls").build()).getResponseMessage();
                assertThat(answer).isEqualTo("echo over tls");
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
