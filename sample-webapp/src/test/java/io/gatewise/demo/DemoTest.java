package io.gatewise.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.deployment.WebSocketMessages;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo as a new user starts it, on a free port. */
class DemoTest {
    private static Demo demo;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        demo = Demo.start(0, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        demo.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    @Test
    void healthyRouteEchoesTheRequest() throws Exception {
        HttpResponse<String> response = get("/echo/hello?lang=en");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("GET /hello?lang=en HTTP/1.1").contains("Via: 1.1 gatewise-demo");
    }

    /**
     * README's demo transcript is what the demo answers: each {@code curl -i URL  # STATUS type}
     * line of its demo block, sent to the demo, gets that status and that type in
     * {@code Proxy-Status} (a line whose comment gives no status expects 200).
     */
    @Test
    void theReadmesDemoTranscriptIsWhatTheDemoAnswers() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher line = Pattern
                .compile("(?m)^curl -i http://127\\.0\\.0\\.1:8080(/\\S*)\\s+# (.*)$").matcher(readme);
        int checked = 0;
        while (line.find()) {
            String path = line.group(1);
            String comment = line.group(2);
            Matcher status = Pattern.compile("\\b([1-5][0-9][0-9])\\b").matcher(comment);
            Matcher type = Pattern.compile("\\b([a-z]+(?:_[a-z0-9]+)+)\\b").matcher(comment);
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path + "  # " + comment).isEqualTo(status.find()
                    ? Integer.parseInt(status.group(1)) : 200);
            if (type.find()) {
                assertThat(response.headers().firstValue("Proxy-Status")).as(path).get().asString()
                        .contains("error=" + type.group(1));
            }
            checked++;
        }
        assertThat(checked).as("curl lines in README's demo block").isGreaterThanOrEqualTo(5);
    }

    @Test
    void failingRoutesAnswerWithTheirClassifiedStatusAndProxyStatus() throws Exception {
        assertFailure("/fail/refused/", 502, "connection_refused");
        assertFailure("/fail/dns/", 502, "dns_error");
        assertFailure("/fail/prohibited/", 502, "destination_ip_prohibited");
        assertFailure("/fail/garbage/", 502, "http_protocol_error");
        assertFailure("/fail/huge-headers/", 502, "http_response_header_section_size");
    }

    @Test
    void poolWithADeadUpstreamAnswersEveryRequestFromTheLiveOne() throws Exception {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get("/pool/orders/" + i);

            assertThat(response.statusCode()).as("request " + i).isEqualTo(200);
            assertThat(response.body()).contains("GET /orders/" + i + " HTTP/1.1");
            assertThat(response.headers().firstValue("Proxy-Status")).isEmpty();
        }
        assertThat(demo.gateway().gateway().route("/pool/").orElseThrow().pool().endpoints().get(0).failures())
                .as("the dead upstream was tried and retried around").isPositive();
    }

    @Test
    void routeInMaintenanceAnswers503WithRetryAfter() throws Exception {
        HttpResponse<String> response = get("/maintenance/anything");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).get().asString().matches("[1-9][0-9]*");
        assertThat(response.headers().firstValue("Proxy-Status")).get().asString()
                .startsWith("gatewise-demo; error=destination_unavailable");
    }

    @Test
    void upstreamErrorsPassThroughWithReceivedStatus() throws Exception {
        HttpResponse<String> upstream500 = get("/fail/upstream-500/");

        assertThat(upstream500.statusCode()).isEqualTo(500);
        assertThat(upstream500.body()).isEqualTo("The upstream failed on its own.\n");
        assertThat(upstream500.headers().firstValue("Proxy-Status")).as("a visitor is not told the upstream")
                .hasValue("gatewise-demo; received-status=500");
        HttpResponse<String> operator = CLIENT.send(request("/fail/upstream-500/")
                .header(ErrorPagesConfig.TOKEN_HEADER, Demo.OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(operator.headers().firstValue("Proxy-Status")).get().asString()
                .startsWith("gatewise-demo; next-hop=").endsWith("; received-status=500");
    }

    private static void assertFailure(String path, int status, String type) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(response.headers().firstValue("Proxy-Status")).as(path).get().asString()
                .startsWith("gatewise-demo; error=" + type);
    }

    @Test
    void httpsServesTheGeneratedCertificateOverH2() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(demo.certificate().certificate())) {
            trust.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + demo.gateway().tlsPort().orElseThrow() + "/echo/hello")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).contains("GET /hello");
    }

    @Test
    void cleartextPortTakesHttp2WithPriorKnowledge() throws Exception {
        org.eclipse.jetty.client.HttpClient h2c = new org.eclipse.jetty.client.HttpClient(
                new org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2(
                        new org.eclipse.jetty.http2.client.HTTP2Client()));
        h2c.start();
        try {
            org.eclipse.jetty.client.ContentResponse response = h2c.newRequest("http://127.0.0.1:"
                    + demo.gateway().port() + "/echo/hello").timeout(10, java.util.concurrent.TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getVersion()).isEqualTo(org.eclipse.jetty.http.HttpVersion.HTTP_2);
        } finally {
            h2c.stop();
        }
    }

    @Test
    void grpcRoutesAnswerARealGrpcClient() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", demo.gateway().port()).usePlaintext()
                .build();
        try {
            SimpleRequest hi = SimpleRequest.newBuilder().setRequestMessage("hi").build();
            assertThat(SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(hi)
                    .getResponseMessage()).isEqualTo("echo hi");
            MethodDescriptor<SimpleRequest, SimpleResponse> down = SimpleServiceGrpc.getUnaryRpcMethod().toBuilder()
                    .setFullMethodName(Demo.GRPC_DOWN.substring(1) + "Get").build();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, down,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), hi))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("connection_refused");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void welcomeShowsTheCurlCommandsForHttpsAndH2c() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(
                "curl --cacert " + demo.certificate().certificate() + " https://localhost:"
                        + demo.gateway().tlsPort().orElseThrow() + "/echo/hello",
                "curl --http2-prior-knowledge http://127.0.0.1:" + demo.gateway().port() + "/echo/hello");
    }

    @Test
    void welcomeListsEveryRouteWithItsUrl() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        for (Demo.Example example : demo.examples()) {
            assertThat(text).contains("http://127.0.0.1:" + demo.gateway().port() + example.path());
        }
        assertThat(demo.examples()).extracting(Demo.Example::path)
                .contains("/echo/", "/live/", "/pool/", "/maintenance/", "/fail/refused/", "/fail/firewall/", "/fail/dns/", "/fail/slow/",
                        "/fail/truncated/");
    }

    @Test
    void theAdminListenerPrintedInTheWelcomeAnswersWithTheDemoToken() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String admin = "http://127.0.0.1:" + demo.gateway().adminPort().orElseThrow();

        HttpResponse<String> upstreams = CLIENT.send(HttpRequest.newBuilder(URI.create(admin + "/admin/upstreams"))
                .header("Authorization", "Bearer " + Demo.ADMIN_TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(admin + "/admin/status", Demo.ADMIN_TOKEN);
        assertThat(upstreams.statusCode()).isEqualTo(200);
        assertThat(upstreams.body()).contains("\"route\":\"/maintenance/\"", "\"state\":\"maintenance\"");
    }

    @Test
    void livePageIsServedThroughTheGateway() throws Exception {
        HttpResponse<String> response = get("/live/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(response.body()).contains("<html lang=\"en\">", "new WebSocket(", "\"socket\"")
                .as("self-contained: nothing loaded from elsewhere").doesNotContainPattern("(src|href)=\"(?!data:)");
    }

    @Test
    void liveSocketEchoesTextAndBinaryThroughTheGateway() throws Exception {
        withLiveSocket((session, listener) -> {
            session.sendText("hello, gateway", Callback.NOOP);
            assertThat(listener.nextText()).isEqualTo("hello, gateway");
            session.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}), Callback.NOOP);
            assertThat(listener.nextBinary()).containsExactly(0x00, 0x01, 0x02, 0xff);
        });
    }

    @Test
    void liveSocketPassesTheUpstreamsCloseThrough() throws Exception {
        withLiveSocket((session, listener) -> {
            session.sendText(LiveEchoEndpoint.CLOSE, Callback.NOOP);
            assertThat(listener.close()).isEqualTo("4000 closed by the upstream on request");
        });
    }

    @Test
    void liveSocketDroppedByTheUpstreamClosesWith1014AndTheIncident() throws Exception {
        withLiveSocket((session, listener) -> {
            session.sendText(LiveEchoEndpoint.DROP, Callback.NOOP);
            assertThat(listener.close()).matches("1014 Bad Gateway: upstream connection lost; incident \\S+");
        });
    }

    private interface LiveSession {
        void run(Session session, WebSocketMessages listener) throws Exception;
    }

    private static void withLiveSocket(LiveSession test) throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            WebSocketMessages listener = new WebSocketMessages();
            Session session = client.connect(listener, URI.create("ws://127.0.0.1:" + demo.gateway().port()
                    + LiveEchoEndpoint.PATH)).get(WebSocketMessages.WAIT_SECONDS, TimeUnit.SECONDS);
            test.run(session, listener);
        } finally {
            client.stop();
        }
    }
}
