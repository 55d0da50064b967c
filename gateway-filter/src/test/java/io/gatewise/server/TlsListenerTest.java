package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.gatewise.alert.Alert;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.AlertsConfig;
import io.gatewise.config.CertificateConfig;
import io.gatewise.config.ClientLimitsConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GateServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.tls.ListenerCertificateFiles.Issued;
import io.gatewise.testing.tls.ListenerCertificateFiles.KeyFormat;
import io.gatewise.testing.tls.ListenerCertificateFiles;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server's TLS listener and HTTP/2: h2 by ALPN and HTTP/1.1 over TLS, h2c with
 * prior knowledge on the cleartext port, the same failure answers over each, certificates picked
 * by SNI, and the served certificates' expiry in the meter and the alert.
 */
class TlsListenerTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path dir;

    private final Issued shop = ListenerCertificateFiles.issue("shop.example",
            List.of("shop.example", "localhost", "127.0.0.1"), "EC", Duration.ofDays(90));
    private HttpClient client;

    @AfterEach
    void stopClient() throws Exception {
        if (client != null) {
            client.stop();
        }
    }

    private CertificateConfig files(String name, Issued issued, KeyFormat format) throws Exception {
        Path folder = ListenerCertificateFiles.write(dir.resolve(name), issued, format);
        return CertificateConfig.builder().certificate(folder.resolve("tls.crt").toString())
                .privateKey(folder.resolve("tls.key").toString()).build();
    }

    private RunningGateway gateway(ListenerTlsConfig tls, RouteConfig... routes) throws Exception {
        RunningGateway.Builder builder = gateways.builder().settings(settings -> settings.tls(tls))
                .route(RouteConfig.builder().path("/").upstream("http://127.0.0.1:" + ClosedPort.find()).build());
        for (RouteConfig route : routes) {
            builder.route(route);
        }
        return builder.start();
    }

    private RunningGateway echoGateway() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        return gateway(ListenerTlsConfig.builder().port(0).certificate(files("shop", shop, KeyFormat.PKCS8)).build(),
                RouteConfig.builder().path("/echo/").stripPrefix(true).upstream(upstream.url()).build(),
                RouteConfig.builder().path("/refused/").upstream("http://127.0.0.1:" + ClosedPort.find()).build());
    }

    /** A client that trusts the shop certificate only, and checks the host name against it. */
    private SslContextFactory.Client trustingShop() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("shop", shop.leaf());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        return tls;
    }

    private HttpClient http2Client() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(trustingShop());
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        client.start();
        return client;
    }

    private HttpClient http11Client() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(trustingShop());
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.start();
        return client;
    }

    private static ContentResponse get(HttpClient client, String url) throws Exception {
        return client.newRequest(url).timeout(10, TimeUnit.SECONDS).send();
    }

    private static String tls(RunningGateway gateway, String path) {
        return gateway.server().tlsUri().orElseThrow().resolve(path).toString();
    }

    @Test
    void h2ChosenByAlpnCarriesAProxiedRequest() throws Exception {
        RunningGateway gateway = echoGateway();

        ContentResponse response = get(http2Client(), tls(gateway, "/echo/hello?x=1"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(response.getContentAsString()).contains("\"uri\":\"/hello\"", "\"query\":\"x=1\"");
        assertThat(gateway.server().tlsUri().orElseThrow().toString())
                .isEqualTo("https://127.0.0.1:" + gateway.server().tlsPort().orElseThrow() + "/");
    }

    @Test
    void http11OverTlsCarriesAProxiedRequest() throws Exception {
        RunningGateway gateway = echoGateway();

        ContentResponse response = get(http11Client(), tls(gateway, "/echo/hello"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(response.getContentAsString()).contains("\"uri\":\"/hello\"")
                .containsPattern("(?i)\"x-forwarded-proto\":\\[\"https\"\\]");
    }

    @Test
    void cleartextPortTakesHttp2WithPriorKnowledge() throws Exception {
        RunningGateway gateway = echoGateway();
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();

        ContentResponse response = get(client, gateway.url("/echo/hello"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(response.getContentAsString()).contains("\"uri\":\"/hello\"");
    }

    @Test
    void neitherPortOffersWebSocketOverHttp2SoBrowsersUpgradeOverHttp11() throws Exception {
        // The proxy upgrades HTTP/1.1 requests only: a browser told it may (RFC 8441's
        // SETTINGS_ENABLE_CONNECT_PROTOCOL) would send its WebSocket as an HTTP/2 CONNECT instead.
        RunningGateway gateway = echoGateway();

        assertThat(settings(null, gateway.port())).as("h2c").doesNotContainEntry(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1);
        assertThat(settings(trustingShop(), gateway.server().tlsPort().orElseThrow())).as("h2")
                .doesNotContainEntry(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1)
                .as("the server's SETTINGS came").isNotEmpty();
    }

    /** @return the settings the server sends first on a new HTTP/2 connection, over TLS if given */
    private static Map<Integer, Integer> settings(SslContextFactory.Client tls, int port) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HTTP2Client h2 = new HTTP2Client(connector);
        h2.start();
        try {
            CompletableFuture<Map<Integer, Integer>> settings = new CompletableFuture<>();
            Session.Listener listener = new Session.Listener() {
                @Override
                public void onSettings(Session session, SettingsFrame frame) {
                    settings.complete(frame.getSettings());
                }
            };
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            (tls == null ? h2.connect(address, listener) : h2.connect(tls, address, listener)).get(10, TimeUnit.SECONDS);
            return settings.get(10, TimeUnit.SECONDS);
        } finally {
            h2.stop();
        }
    }

    @Test
    void upgradeToH2cIsNotTakenAndTheRequestIsServedAsHttp11() throws Exception {
        RunningGateway gateway = echoGateway();
        // The JDK's client asks for the switch with Upgrade: h2c by default.
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();

        java.net.http.HttpResponse<String> response = jdk.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.url("/echo/hello"))).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).containsPattern("(?i)\"via\":\\[\"1.1 ");
    }

    @Test
    void stopLetsH2RequestsInFlightFinishOnBothPorts() throws Exception {
        GateServlet gate = new GateServlet(4);
        JettyUpstream upstream = gateways.jettyUpstream(gate);
        RunningGateway gateway = gateways.builder().settings(settings -> settings
                        .shutdownTimeout(Duration.ofSeconds(20))
                        .tls(ListenerTlsConfig.builder().port(0).certificate(filesOf("shop", shop)).build()))
                .route(RouteConfig.builder().path("/").upstream(upstream.url()).build())
                .start();
        // One request per connection: Jetty's client, once one stream of a connection that got a GOAWAY
        // ends, closes the connection and aborts the others; a client problem, not the gateway's.
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ClientConnector connector = new ClientConnector();
            connector.setSslContextFactory(trustingShop());
            HttpClient h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
            h2.start();
            clients.add(h2);
        }
        try {
            List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String url = i % 2 == 0 ? tls(gateway, "/slow/" + i) : gateway.url("/slow/" + i);
                responses.add(new CompletableResponseListener(clients.get(i)
                        .newRequest(url).timeout(30, TimeUnit.SECONDS)).send());
            }
            assertThat(gate.awaitArrived(10)).as("all in flight at the upstream").isTrue();
            // Read while listening: a closed connector reports no port.
            int tlsPort = gateway.server().tlsPort().orElseThrow();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    gateway.server().stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ClosedPort.awaitRefusing(tlsPort, Duration.ofSeconds(10));
            assertThat(stopped).as("still draining").isNotDone();
            gate.open();

            for (CompletableFuture<ContentResponse> response : responses) {
                ContentResponse answer = response.get(20, TimeUnit.SECONDS);
                assertThat(answer.getVersion()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(answer.getStatus()).isEqualTo(200);
                assertThat(answer.getContentAsString()).isEqualTo("done");
            }
            stopped.get(20, TimeUnit.SECONDS);
        } finally {
            gate.open();
            for (HttpClient h2 : clients) {
                h2.stop();
            }
        }
    }

    @Test
    void http2OffServesHttp11OnlyOnBothPorts() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.builder().settings(settings -> settings.http2(false).tls(
                        ListenerTlsConfig.builder().port(0).certificate(filesUnchecked()).build()))
                .route(RouteConfig.builder().path("/echo/").stripPrefix(true).upstream(upstream.url()).build())
                .start();

        ContentResponse overTls = get(http11Client(), tls(gateway, "/echo/hello"));
        HttpClient h2c = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        h2c.start();
        try {
            assertThat(overTls.getStatus()).isEqualTo(200);
            assertThat(overTls.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            assertThat(catchThrowable(() -> get(h2c, gateway.url("/echo/hello"))))
                    .as("h2c prior knowledge to a listener without HTTP/2").isNotNull();
        } finally {
            h2c.stop();
        }
        try (SSLSocket socket = ListenerCertificateFiles.connect(gateway.server().tlsPort().orElseThrow(),
                null)) {
            assertThat(socket.getApplicationProtocol()).as("no ALPN offered").isIn("", null);
        }
    }

    private CertificateConfig filesUnchecked() {
        try {
            return files("shop", shop, KeyFormat.PKCS8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void failureAnswerOverH2IsTheSameAsOverHttp11() throws Exception {
        RunningGateway gateway = echoGateway();

        ContentResponse overH2 = get(http2Client(), tls(gateway, "/refused/x"));
        client.stop();
        ContentResponse overHttp11 = get(http11Client(), tls(gateway, "/refused/x"));

        assertThat(overH2.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(overH2.getStatus()).isEqualTo(502).isEqualTo(overHttp11.getStatus());
        assertThat(overH2.getHeaders().get("Proxy-Status")).contains("error=connection_refused")
                .isEqualTo(overHttp11.getHeaders().get("Proxy-Status"));
        assertThat(overH2.getMediaType()).isEqualTo(overHttp11.getMediaType());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.accessLog())
                .as("both in the one access log").anySatisfy(line -> assertThat(line)
                        .contains("\"GET /refused/x HTTP/2.0\" 502", "error=connection_refused"))
                .anySatisfy(line -> assertThat(line).contains("\"GET /refused/x HTTP/1.1\" 502")));
    }

    @Test
    void sniPicksTheMatchingCertificateAndNoSniGetsTheFirst() throws Exception {
        Issued blog = ListenerCertificateFiles.issue("blog.example", List.of("blog.example", "*.blog.example"), "EC",
                Duration.ofDays(30));
        Issued api = ListenerCertificateFiles.issue("api.example", List.of("api.example"), "RSA", Duration.ofDays(30));
        RunningGateway gateway = gateway(ListenerTlsConfig.builder().port(0)
                .certificate(files("shop", shop, KeyFormat.PKCS8))
                .certificate(files("blog", blog, KeyFormat.TRADITIONAL))
                .certificate(files("api", api, KeyFormat.TRADITIONAL)).build());
        int port = gateway.server().tlsPort().orElseThrow();

        assertThat(ListenerCertificateFiles.served(port, "blog.example").getSerialNumber())
                .isEqualTo(blog.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, "www.blog.example").getSerialNumber())
                .as("wildcard").isEqualTo(blog.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, "api.example").getSerialNumber())
                .as("an RSA certificate beside EC ones").isEqualTo(api.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, "shop.example").getSerialNumber())
                .isEqualTo(shop.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, null).getSerialNumber())
                .as("no SNI: the first").isEqualTo(shop.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, "unknown.example").getSerialNumber())
                .as("a name none holds: the first").isEqualTo(shop.leaf().getSerialNumber());
    }

    @Test
    void anExactNameWinsOverAWildcardListedBeforeIt() throws Exception {
        Issued wildcard = ListenerCertificateFiles.issue("*.shop.example", List.of("*.shop.example"), "EC",
                Duration.ofDays(30));
        Issued exact = ListenerCertificateFiles.issue("admin.shop.example", List.of("admin.shop.example"), "EC",
                Duration.ofDays(30));
        RunningGateway gateway = gateway(ListenerTlsConfig.builder().port(0)
                .certificate(files("shop", shop, KeyFormat.PKCS8))
                .certificate(files("wildcard", wildcard, KeyFormat.PKCS8))
                .certificate(files("exact", exact, KeyFormat.PKCS8)).build());
        int port = gateway.server().tlsPort().orElseThrow();

        assertThat(ListenerCertificateFiles.served(port, "admin.shop.example").getSerialNumber())
                .isEqualTo(exact.leaf().getSerialNumber());
        assertThat(ListenerCertificateFiles.served(port, "www.shop.example").getSerialNumber())
                .isEqualTo(wildcard.leaf().getSerialNumber());
    }

    @Test
    void withAnAdminListenerTheTlsListenerServesTheRoutesAndTheAdminPortTheMeter() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.builder()
                .settings(settings -> settings.tls(ListenerTlsConfig.builder().port(0).certificate(filesOf("shop", shop))
                        .build()))
                .admin(AdminConfig.builder().port(0).token("tls-admin-token-0123").build())
                .route(RouteConfig.builder().path("/echo/").stripPrefix(true).upstream(upstream.url()).build())
                .start();

        ContentResponse overTls = get(http2Client(), tls(gateway, "/echo/hello"));
        ContentResponse metrics = gateway.client().newRequest(gateway.adminUrl() + "/metrics")
                .headers(headers -> headers.put("Authorization", "Bearer tls-admin-token-0123"))
                .timeout(10, TimeUnit.SECONDS).send();
        ContentResponse adminOverTls = get(client, tls(gateway, "/metrics"));

        assertThat(overTls.getStatus()).isEqualTo(200);
        assertThat(overTls.getContentAsString()).contains("\"uri\":\"/hello\"");
        assertThat(metrics.getStatus()).isEqualTo(200);
        assertThat(expirySeries(metrics.getContentAsString())).containsOnlyKeys(
                "{listener=\"tls\",subject=\"shop.example\"}");
        assertThat(adminOverTls.getStatus()).as("the admin API is not on the TLS listener").isNotEqualTo(200);
    }

    @Test
    void requestWhoseHostIsNotInTheCertificateIsServed() throws Exception {
        RunningGateway gateway = echoGateway();
        http11Client();

        ContentResponse response = client.newRequest(tls(gateway, "/echo/hello"))
                .headers(headers -> headers.put("Host", "other.example")).timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).as("no SNI host check, as nginx").isEqualTo(200);
    }

    @Test
    void expiryMeterShowsEachServedCertificateByListenerAndSubject() throws Exception {
        Issued blog = ListenerCertificateFiles.issue("blog.example", List.of("blog.example"), "EC", Duration.ofDays(30));
        RunningGateway gateway = gateway(ListenerTlsConfig.builder().port(0)
                .certificate(files("shop", shop, KeyFormat.PKCS8))
                .certificate(files("blog", blog, KeyFormat.PKCS8)).build());

        String scrape = gateway.server().gateway().metrics().prometheusText().orElseThrow();

        assertThat(expirySeries(scrape)).containsOnly(
                Map.entry("{listener=\"tls\",subject=\"shop.example\"}", epochSeconds(shop)),
                Map.entry("{listener=\"tls\",subject=\"blog.example\"}", epochSeconds(blog)));
    }

    /** @return each series of the expiry meter in a Prometheus scrape: its labels, and its value */
    static Map<String, Double> expirySeries(String scrape) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("gatewise_tls_certificate_expiry_timestamp_seconds{")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring("gatewise_tls_certificate_expiry_timestamp_seconds".length(), space),
                        Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }

    static double epochSeconds(Issued issued) {
        return issued.leaf().getNotAfter().toInstant().getEpochSecond();
    }

    @Test
    void certificateExpiryAlertCoversTheListenersCertificates() throws Exception {
        Issued soon = ListenerCertificateFiles.issue("soon.example", List.of("soon.example"), "EC", Duration.ofDays(5));
        RunningGateway gateway = gateways.builder()
                .settings(settings -> settings.tls(ListenerTlsConfig.builder().port(0)
                        .certificate(filesOf("soon", soon)).certificate(filesOf("shop", shop)).build()))
                .alerts(AlertsConfig.builder().evaluationInterval(Duration.ofHours(1)).build())
                .route(RouteConfig.builder().path("/").upstream("http://127.0.0.1:" + ClosedPort.find()).build())
                .start();

        List<Alert> fired = gateway.server().gateway().alerts().evaluateNow();

        assertThat(fired).filteredOn(alert -> Alert.CERTIFICATE_EXPIRING.equals(alert.labels().get("alertname")))
                .singleElement().satisfies(alert -> {
                    assertThat(alert.labels()).containsEntry("listener", "tls").containsEntry("subject", "soon.example")
                            .containsEntry("severity", "warning");
                    assertThat(alert.annotations().get("summary")).contains("soon.example", "ends in");
                    assertThat(alert.annotations()).containsEntry("serial", soon.serial())
                            .containsEntry("not_after", soon.leaf().getNotAfter().toInstant().toString());
                });
    }

    private CertificateConfig filesOf(String name, Issued issued) {
        try {
            return files(name, issued, KeyFormat.PKCS8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientsConnectionsToBothListenersShareItsConnectionLimit() throws Exception {
        RunningGateway gateway = gateways.builder().settings(settings -> settings
                        .limits(ClientLimitsConfig.builder().maxConnectionsPerClient(1).build())
                        .tls(ListenerTlsConfig.builder().port(0).certificate(filesOf("shop", shop)).build()))
                .route(RouteConfig.builder().path("/").upstream("http://127.0.0.1:" + ClosedPort.find()).build())
                .start();

        try (SSLSocket overTls = ListenerCertificateFiles.connect(gateway.server().tlsPort().orElseThrow(),
                null); Socket cleartext = new Socket("127.0.0.1", gateway.port())) {
            cleartext.setSoTimeout(10_000);
            cleartext.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                    StandardCharsets.US_ASCII));
            int read;
            try {
                read = cleartext.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the second connection of one client, to the other listener, is closed").isEqualTo(-1);
            assertThat(overTls.isClosed()).isFalse();
        }
        assertThat(gateway.server().gateway().connectionRejections().countsByReason().get("max_connections_per_client")
                .getAsLong()).isEqualTo(1);
    }
}
