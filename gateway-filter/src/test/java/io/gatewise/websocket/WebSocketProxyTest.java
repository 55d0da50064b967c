package io.gatewise.websocket;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.config.WebSocketConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.observe.FailureLog;
import io.gatewise.runtime.Gateway;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.WebSocketRecorder;
import io.gatewise.testing.WebSocketUpstream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebSocket through the gateway, with real endpoints on loopback on both sides (Jetty's own
 * WebSocket client and server): the upstream's handshake first, frames both ways as they come,
 * close codes passed through, and each failure answered or closed with the code that says why.
 */
class WebSocketProxyTest {

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final WebSocketClient client = new WebSocketClient();
    private WebSocketUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        client.setMaxTextMessageSize(8L * 1024 * 1024);
        client.setMaxBinaryMessageSize(8L * 1024 * 1024);
        client.start();
        upstream = WebSocketUpstream.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        upstream.close();
    }

    private RunningGateway gateway(WebSocketConfig settings) throws Exception {
        return gateway(settings, upstream.url());
    }

    private RunningGateway gateway(WebSocketConfig settings, String upstreamUrl) throws Exception {
        return gateways.start(RouteConfig.builder().path("/live/").websocket(settings).upstream(upstreamUrl).build());
    }

    private static URI ws(RunningGateway gateway, String path) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + path);
    }

    private Session connect(RunningGateway gateway, WebSocketRecorder recorder, String... subprotocols)
            throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setSubProtocols(subprotocols);
        request.setHeader("Authorization", "Bearer t0ken");
        request.setHeader("Cookie", "session=abc");
        return client.connect(recorder, ws(gateway, "/live/feed?room=7"), request)
                .get(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void textAndBinaryMessagesEchoWithTheSubprotocolTheUpstreamChoseAndTheRequestHeadersForwarded() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();

        Session session = connect(gateway, recorder, "chat", "superchat");
        session.sendText("hello", Callback.NOOP);
        byte[] binary = new byte[10_000];
        new Random(7).nextBytes(binary);
        session.sendBinary(ByteBuffer.wrap(binary), Callback.NOOP);

        assertThat(recorder.nextText()).isEqualTo("hello");
        assertThat(recorder.nextBinary()).isEqualTo(binary);
        assertThat(session.getUpgradeResponse().getAcceptedSubProtocol()).isEqualTo("chat");
        assertThat(session.getUpgradeResponse().getHeaders("Set-Cookie")).as("the upstream's 101 headers")
                .contains("live=1; Path=/");
        HttpFields handshake = upstream.handshakes().get(0);
        assertThat(handshake.get("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(handshake.get("Cookie")).isEqualTo("session=abc");
        assertThat(handshake.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(handshake.get("Via")).contains(RunningGateway.NAME);
        assertThat(handshake.getValuesList("Sec-WebSocket-Protocol")).containsExactly("chat", "superchat");
        assertThat(upstream.handshakes()).hasSize(1);
    }

    @Test
    void anExtensionTheUpstreamTakesIsNegotiatedWithTheClientToo() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.addExtensions("permessage-deflate");
        Session session = client.connect(recorder, ws(gateway, "/live/feed"), request)
                .get(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS);
        String text = "compressible ".repeat(10_000);

        session.sendText(text, Callback.NOOP);

        assertThat(recorder.nextText()).isEqualTo(text);
        assertThat(session.getUpgradeResponse().getExtensions()).extracting(ExtensionConfig::getName)
                .containsExactly("permessage-deflate");
        assertThat(upstream.handshakes().get(0).get("Sec-WebSocket-Extensions")).contains("permessage-deflate");
    }

    @Test
    void anExtensionTheGatewayCannotRunIsNotOfferedUpstream() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        try (RawClient raw = RawClient.connect(gateway.port())) {
            raw.send("GET /live/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: x-webkit-deflate-frame, permessage-deflate\r\n\r\n");

            String head = raw.readHead();

            assertThat(head).startsWith("HTTP/1.1 101").doesNotContain("x-webkit-deflate-frame");
            assertThat(upstream.handshakes().get(0).get("Sec-WebSocket-Extensions")).contains("permessage-deflate")
                    .doesNotContain("x-webkit-deflate-frame");
        }
    }

    @Test
    void fragmentsPassAsFragmentsBothWays() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendText("cmd:fragments:al,ph,a", Callback.NOOP);
        assertThat(recorder.nextText()).isEqualTo("alpha");
        assertThat(recorder.textFragments()).containsExactly("al", "ph", "a");

        session.sendPartialText("be", false, Callback.NOOP);
        session.sendPartialText("ta \u00e9\u4e2d", true, Callback.NOOP);
        assertThat(recorder.nextText()).isEqualTo("beta \u00e9\u4e2d");
    }

    @Test
    void pingsAreAnsweredAndTheUpstreamsPingsReachTheClientWhosePongsReachTheUpstream() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendPing(ByteBuffer.wrap("c1".getBytes()), Callback.NOOP);
        assertThat(recorder.nextPong()).isEqualTo("c1");

        session.sendText("cmd:ping:u1", Callback.NOOP);
        assertThat(recorder.nextPing()).isEqualTo("u1");
        assertThat(upstream.pongs().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("u1");
    }

    @Test
    void aOneMegabyteMessagePassesWhole() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);
        byte[] message = new byte[WebSocketConfig.DEFAULT_MAX_MESSAGE_SIZE];
        new Random(11).nextBytes(message);

        session.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);

        assertThat(recorder.nextBinary()).isEqualTo(message);
    }

    @Test
    void aCustomCloseCodeFromTheClientReachesTheUpstreamAndIsCounted() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);
        session.sendText("hi", Callback.NOOP);
        recorder.nextText();
        assertThat(metrics(gateway)).contains("gatewise_websocket_sessions{route=\"/live/\"} 1.0");

        session.close(4401, "token expired", Callback.NOOP);

        assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo("4401 token expired");
        assertThat(recorder.close()).isEqualTo("4401 token expired");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"4401\",initiator=\"client\",route=\"/live/\"} 1.0");
        assertThat(metrics(gateway)).contains("gatewise_websocket_sessions{route=\"/live/\"} 0.0")
                .containsPattern("gatewise_requests_seconds_count\\{method=\"GET\",route=\"/live/\",status=\"101\"} 1");
        assertThat(gateway.pendingEvents()).as("a close is no failure").isEmpty();
    }

    @Test
    void aCustomCloseCodeFromTheUpstreamReachesTheClient() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendText("cmd:close:4000:bye now", Callback.NOOP);

        assertThat(recorder.close()).isEqualTo("4000 bye now");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"4000\",initiator=\"upstream\",route=\"/live/\"} 1.0");
    }

    @Test
    void anUpstreamThatClosesAsSoonAsItAcceptsHasItsCloseReachTheClient() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        client.connect(recorder, ws(gateway, "/live/close-at-once")).get(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(recorder.close()).isEqualTo("4002 closed at once");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"4002\",initiator=\"upstream\",route=\"/live/\"} 1.0");
        awaitMetric(gateway, "gatewise_websocket_sessions{route=\"/live/\"} 0.0");
    }

    @Test
    void aRefusedUpstreamIsAnswered502WithoutAnUpgrade() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults(), "http://127.0.0.1:" + ClosedPort.find());

        ContentResponse response = gateway.get("/live/feed", WebSocketProxyTest::upgradeHeaders);

        assertAnswered(gateway, response, ProxyErrorType.CONNECTION_REFUSED, 502, FailureCause.UPSTREAM_DOWN,
                Phase.CONNECT, null);
        assertThat(response.getHeaders().get("Upgrade")).isNull();
        assertThat(client.connect(new WebSocketRecorder(), ws(gateway, "/live/feed"))).failsWithin(
                Duration.ofSeconds(WebSocketRecorder.WAIT_SECONDS)).withThrowableThat()
                .withMessageContaining("502");
    }

    @Test
    void theUpstreamsOwnRefusalPassesThroughAndTheClientIsNeverUpgraded() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());

        ContentResponse response = gateway.get("/live/refuse", WebSocketProxyTest::upgradeHeaders);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaders().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"live\"");
        assertThat(response.getContentAsString()).isEqualTo(WebSocketUpstream.REFUSAL);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("received-status=401");
        assertThat(response.getHeaders().get("Upgrade")).isNull();
        assertThat(gateway.pendingEvents()).as("the upstream's answer is no failure of the gateway's").isEmpty();
    }

    @Test
    void aWrongSecWebSocketAcceptIsAnUpgradeFailure() throws Exception {
        SocketUpstream bad = gateways.socketUpstream((socket, head) -> {
            SocketUpstream.write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBoYXNo\r\n\r\n");
            // Held open: the gateway decides on the handshake, not on the connection's end.
            Thread.sleep(TimeUnit.SECONDS.toMillis(WebSocketRecorder.WAIT_SECONDS));
        });
        RunningGateway gateway = gateway(WebSocketConfig.defaults(), bad.url());

        ContentResponse response = gateway.get("/live/feed", WebSocketProxyTest::upgradeHeaders);

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.HTTP_UPGRADE_FAILED, 502,
                FailureCause.INVALID_RESPONSE, Phase.HEADERS, null);
        assertThat(failure.reason()).contains("Sec-WebSocket-Accept");
    }

    @Test
    void anUpstreamLostMidSessionClosesTheClientWith1014AndTheIncident() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendText("cmd:reset", Callback.NOOP);

        String close = recorder.close();
        FailureEvent event = gateway.onlyEvent();
        UpstreamFailure failure = event.failure();
        assertThat(close).startsWith("1014 ").contains(failure.incident()).doesNotContain("127.0.0.1");
        assertThat(failure.type()).isEqualTo(ProxyErrorType.CONNECTION_TERMINATED);
        assertThat(failure.responseCommitted()).isTrue();
        assertThat(FailureLog.line(event)).contains("incident=" + failure.incident(),
                "type=connection_terminated", "status=101", "committed=true");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"1014\",initiator=\"upstream\",route=\"/live/\"} 1.0");
        assertThat(metrics(gateway)).contains("error_type=\"connection_terminated\"");
    }

    @Test
    void anUpstreamThatStopsReadingClosesTheClientWith1014AndIsRecordedAsAWriteTimeout() throws Exception {
        SocketUpstream stalled = gateways.socketUpstream((socket, head) -> {
            // A small window: the gateway's writes wait after a few megabytes (its own send buffer), not dozens.
            socket.setReceiveBufferSize(16 * 1024);
            SocketUpstream.write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(key(head)) + "\r\n\r\n");
            // Accepts, then reads nothing more.
            Thread.sleep(TimeUnit.SECONDS.toMillis(WebSocketRecorder.WAIT_SECONDS * 2));
        });
        RunningGateway gateway = gateway(WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(1))
                .maxMessageSize(16 * 1024 * 1024).build(), stalled.url());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        // One message far larger than the gateway's send buffer towards the upstream (4MB at most here):
        // the gateway's write to the upstream waits, while the rest of the message waits in the buffers
        // from the client, which is done sending.
        session.sendBinary(ByteBuffer.allocate(12 * 1024 * 1024), Callback.NOOP);

        String close = recorder.close();
        FailureEvent event = gateway.onlyEvent();
        UpstreamFailure failure = event.failure();
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"1014\",initiator=\"upstream\",route=\"/live/\"} 1.0");
        // The gateway sends 1014 at once; a client still uploading may lose that frame to the TCP reset
        // of a connection closed with its data unread (then it sees 1006). One that is not, reads it.
        if (!close.startsWith("1006 ")) {
            assertThat(close).startsWith("1014 Bad Gateway: upstream stopped reading").contains(failure.incident());
        }
        assertThat(failure.type()).isEqualTo(ProxyErrorType.CONNECTION_WRITE_TIMEOUT);
        assertThat(failure.phase()).isEqualTo(Phase.BODY);
        assertThat(FailureLog.line(event)).contains("status=101", "committed=true");
    }

    @Test
    void anIdleSessionIsClosedWith1001OnBothSides() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(1)).build());
        WebSocketRecorder recorder = new WebSocketRecorder();
        connect(gateway, recorder);

        assertThat(recorder.close()).startsWith("1001 Idle");
        assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).startsWith("1001 Idle");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"1001\",initiator=\"gateway\",route=\"/live/\"} 1.0");
        awaitMetric(gateway, "gatewise_websocket_sessions{route=\"/live/\"} 0.0");
    }

    @Test
    void aMessageOverTheLimitClosesBothSidesWith1009() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.builder().maxMessageSize(4096).build());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendBinary(ByteBuffer.allocate(5000), Callback.NOOP);

        assertThat(recorder.close()).startsWith("1009 ");
        assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).startsWith("1009 ");
        awaitMetric(gateway, "gatewise_websocket_sessions{route=\"/live/\"} 0.0");
        awaitMetric(gateway, "gatewise_websocket_closes_total{code=\"1009\",initiator=\"gateway\",route=\"/live/\"} 1.0");
    }

    @Test
    void anUpstreamMessageOverTheLimitClosesBothSidesWith1009() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.builder().maxMessageSize(4096).build());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);

        session.sendText("cmd:send:5000", Callback.NOOP);

        assertThat(recorder.close()).startsWith("1009 ");
        assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).startsWith("1009 ");
        awaitMetric(gateway, "gatewise_websocket_sessions{route=\"/live/\"} 0.0");
    }

    @Test
    void aDrainTellsBothSidesToGoAway() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        connect(gateway, recorder);

        long start = System.nanoTime();
        int ended = gateway.server().gateway().drain(Duration.ofSeconds(30));

        assertThat(ended).isZero();
        assertThat(recorder.close()).startsWith("1001 ");
        assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).startsWith("1001 ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed sessions are not waited for")
                .isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void anUpgradeOnARouteWithoutWebSocketIsForwardedAsAPlainRequest() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.builder().enabled(false).build());

        ContentResponse response = gateway.get("/live/feed", WebSocketProxyTest::upgradeHeaders);

        assertThat(response.getStatus()).as("Jetty's WebSocket server, asked without Upgrade").isNotEqualTo(101);
        assertThat(response.getStatus()).as("the upstream's own answer to a plain GET, passed through").isEqualTo(404);
        assertThat(response.getHeaders().get("Proxy-Status")).as("no failure of the gateway's").isNull();
        assertThat(upstream.handshakes()).isEmpty();
    }

    @Test
    void aRefusedUpstreamIsRetriedOnAnotherBeforeTheClientHearsAnything() throws Exception {
        String refusing = "http://127.0.0.1:" + ClosedPort.find();
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/live/").upstream(refusing)
                .upstream(upstream.url()).build());

        for (int i = 0; i < 2; i++) {
            WebSocketRecorder recorder = new WebSocketRecorder();
            Session session = connect(gateway, recorder);
            session.sendText("round " + i, Callback.NOOP);
            assertThat(recorder.nextText()).isEqualTo("round " + i);
            session.close();
        }

        assertThat(upstream.handshakes()).hasSize(2);
        assertThat(gateway.pendingEvents()).as("a retried refusal is no failure of the exchange").isEmpty();
    }

    @Test
    void aSubprotocolNobodyOfferedIsAnUpgradeFailure() throws Exception {
        SocketUpstream bad = gateways.socketUpstream((socket, head) -> {
            SocketUpstream.write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(key(head)) + "\r\n"
                    + "Sec-WebSocket-Protocol: admin\r\n\r\n");
            Thread.sleep(TimeUnit.SECONDS.toMillis(WebSocketRecorder.WAIT_SECONDS));
        });
        RunningGateway gateway = gateway(WebSocketConfig.defaults(), bad.url());

        ContentResponse response = gateway.get("/live/feed", headers -> {
            upgradeHeaders(headers);
            headers.put("Sec-WebSocket-Protocol", "chat");
        });

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.HTTP_UPGRADE_FAILED, 502,
                FailureCause.INVALID_RESPONSE, Phase.HEADERS, null);
        assertThat(failure.reason()).contains("admin");
    }

    @Test
    void aReloadThatRetiresTheRoutesUpstreamClientLeavesItsOpenSessionsRunning() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = connect(gateway, recorder);
        Gateway running = gateway.server().gateway();

        // Another connect timeout: another upstream client for the route; the old one retires.
        RouteConfig route = running.config().routes().get(0);
        assertThat(running.reload(running.config().toBuilder().routes(List.of(RouteConfig.builder().path(route.path())
                .upstream(upstream.url()).timeouts(TimeoutsConfig.builder().connect(Duration.ofSeconds(3)).build())
                .build())).build()).success()).isTrue();
        // Several of the reloader's checks for retired clients (one each 250ms) pass meanwhile.
        Thread.sleep(1500);

        session.sendText("still here", Callback.NOOP);
        assertThat(recorder.nextText()).isEqualTo("still here");
        assertThat(recorder.isClosed()).isFalse();
    }

    @Test
    void upgradeLookalikesAreForwardedAsPlainRequests() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());

        ContentResponse post = gateway.request("/live/feed").method("POST").headers(WebSocketProxyTest::upgradeHeaders)
                .send();
        ContentResponse withoutKey = gateway.get("/live/feed", headers -> {
            upgradeHeaders(headers);
            headers.remove("Sec-WebSocket-Key");
        });

        assertThat(post.getStatus()).isNotEqualTo(101);
        assertThat(withoutKey.getStatus()).isNotEqualTo(101);
        assertThat(List.of(post.getStatus(), withoutKey.getStatus())).as("the upstream's own answers, passed through")
                .containsExactly(404, 404);
        assertThat(upstream.handshakes()).as("nothing was upgraded").isEmpty();
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void aDrainDoesNotWaitPastItsDeadlineForASessionThatNeverClosesItsSide() throws Exception {
        RunningGateway gateway = gateway(WebSocketConfig.defaults());
        try (RawClient raw = RawClient.connect(gateway.port())) {
            raw.send("GET /live/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
            awaitMetric(gateway, "gatewise_websocket_sessions{route=\"/live/\"} 1.0");

            // The raw client reads nothing and never answers the gateway's close.
            assertTimeoutPreemptively(Duration.ofSeconds(WebSocketRecorder.WAIT_SECONDS),
                    () -> gateway.server().gateway().drain(Duration.ofSeconds(1)));

            assertThat(upstream.closes().poll(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS)).startsWith("1001 ");
            assertThat(gateway.server().gateway().metrics().prometheusText().orElseThrow())
                    .contains("gatewise_websocket_sessions{route=\"/live/\"} 0.0");
        }
    }

    /** @return the {@code Sec-WebSocket-Key} of a request head */
    private static String key(String head) {
        return head.lines().filter(line -> line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                .map(line -> line.substring(18).trim()).findFirst().orElseThrow();
    }

    /** @return the {@code Sec-WebSocket-Accept} RFC 6455 asks for the key */
    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void upgradeHeaders(org.eclipse.jetty.http.HttpFields.Mutable headers) {
        headers.put("Upgrade", "websocket").put("Connection", "Upgrade").put("Sec-WebSocket-Version", "13")
                .put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    private static String metrics(RunningGateway gateway) {
        return gateway.server().gateway().metrics().prometheusText().orElseThrow();
    }

    private static void awaitMetric(RunningGateway gateway, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WebSocketRecorder.WAIT_SECONDS);
        while (!metrics(gateway).contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(metrics(gateway)).contains(line);
    }

}
