package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.ClientLimitsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.ConnectionRejections.Reason;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and greedy clients on raw loopback sockets cannot hold the listener: a head that trickles in
 * is cut with {@code 408}, one address gets only so many connections, and the listener holds only
 * so many in all; each is counted and shown.
 */
class ClientLimitsTest {
    private static final String TOKEN = "client-limits-admin-token";
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private RunningGateway gateway(ClientLimitsConfig limits) throws Exception {
        return gateways.builder().settings(settings -> settings.limits(limits))
                .admin(AdminConfig.builder().port(0).token(TOKEN).build())
                .route(RouteConfig.builder().path("/api/").upstream(gateways.jettyUpstream(new NamedServlet("up")).url())
                        .build())
                .start();
    }

    private static ConnectionRejections rejections(RunningGateway gateway) {
        return gateway.server().gateway().connectionRejections();
    }

    @Test
    void aHeadThatTricklesInPastItsTimeoutGets408AndTheConnectionCloses() throws Exception {
        RunningGateway gateway = gateway(ClientLimitsConfig.builder().requestHeadTimeout(Duration.ofSeconds(1)).build());
        long started = System.nanoTime();
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("GET /api/x HTTP/1.1\r\n");
            String answer = null;
            // One header line every 200 ms keeps the idle timeout from ever firing; only the head timeout can end it.
            for (int i = 0; i < 100 && answer == null; i++) {
                Thread.sleep(200);
                try {
                    client.send("X-Slow-" + i + ": 1\r\n");
                } catch (IOException closed) {
                    answer = readAll(client.socket().getInputStream());
                }
                if (answer == null && client.socket().getInputStream().available() > 0) {
                    answer = readAll(client.socket().getInputStream());
                }
            }
            assertThat(answer).as("cut long before the 20 s the trickle lasts").isNotNull()
                    .startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(rejections(gateway).count(Reason.REQUEST_HEAD_TIMEOUT)).isEqualTo(1);
        assertThat(gateway.server().gateway().metrics().prometheusText().orElseThrow())
                .contains("gatewise_connections_rejected_total{reason=\"request_head_timeout\"} 1.0")
                .contains("gatewise_connections_rejected_total{reason=\"max_connections_per_client\"} 0.0");
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.adminUrl() + "/admin/status")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("<tr><td><code>gateway.limits.requestHeadTimeout</code></td><td>1s</td>"
                + "<td>1</td><td>answered 408 and closed</td></tr>");
    }

    @Test
    void aHeadThatArrivesInTimeAndAnIdleKeepAliveConnectionAreNotCut() throws Exception {
        RunningGateway gateway = gateway(ClientLimitsConfig.builder().requestHeadTimeout(Duration.ofSeconds(1)).build());
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("GET /api/x HTTP/1.1\r\nHost: gw\r\n");
            Thread.sleep(300);
            client.send("\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
            // Waiting between requests is the idle timeout's business, not the head timeout's.
            Thread.sleep(2_500);
            client.send("GET /api/y HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }
        assertThat(rejections(gateway).count(Reason.REQUEST_HEAD_TIMEOUT)).isZero();
    }

    @Test
    void oneClientAddressGetsOnlyItsShareAndAnotherAddressIsServed() throws Exception {
        RunningGateway gateway = gateway(ClientLimitsConfig.builder().maxConnectionsPerClient(2).build());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(connect(gateway, "127.0.0.1"));
                assertThat(get(held.get(i))).startsWith("HTTP/1.1 200");
            }
            Socket third = connect(gateway, "127.0.0.1");
            held.add(third);
            assertThat(third.getInputStream().read()).as("closed at once").isEqualTo(-1);

            Socket other = connect(gateway, "127.0.0.2");
            held.add(other);
            assertThat(get(other)).as("another client address").startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(rejections(gateway).count(Reason.MAX_CONNECTIONS_PER_CLIENT)).isEqualTo(1);
        // Closed connections give their share back (as soon as the server has seen them close).
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (Socket again = connect(gateway, "127.0.0.1")) {
                assertThat(get(again)).startsWith("HTTP/1.1 200");
            }
        });
        ClientLimits.PerClientLimit perClient = java.util.Arrays.stream(gateway.server().jettyServer().getConnectors())
                .map(connector -> connector.getBean(ClientLimits.PerClientLimit.class)).filter(java.util.Objects::nonNull)
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(perClient.clients())
                .as("no address is remembered once its connections are closed").isZero());
    }

    @Test
    void pastMaxConnectionsNewOnesWaitUntilOneCloses() throws Exception {
        RunningGateway gateway = gateway(ClientLimitsConfig.builder().maxConnections(3).build());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(connect(gateway, "127.0.0.1"));
                assertThat(get(held.get(i))).startsWith("HTTP/1.1 200");
            }
            // From another address: only the total limit is in play.
            Socket waiting = connect(gateway, "127.0.0.2");
            held.add(waiting);
            waiting.getOutputStream().write("GET /api/x HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            waiting.setSoTimeout(1_000);
            assertThatThrownBy(() -> waiting.getInputStream().read()).as("not accepted while three are open")
                    .isInstanceOf(SocketTimeoutException.class);

            held.get(0).close();
            waiting.setSoTimeout(10_000);
            assertThat(readHead(waiting.getInputStream())).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(rejections(gateway).count(Reason.MAX_CONNECTIONS)).isPositive();
    }

    @Test
    void theLimitsAreCheckedAsTheyAreSet() {
        assertThatThrownBy(() -> ClientLimitsConfig.builder().maxConnectionsPerClient(-1))
                .hasMessageContaining("maxConnectionsPerClient: -1 (expected: 1 to 1000000)");
        assertThatThrownBy(() -> ClientLimitsConfig.builder().maxConnections(0))
                .hasMessageContaining("maxConnections: 0 (expected: 1 to 1000000)");
        assertThatThrownBy(() -> ClientLimitsConfig.builder().requestHeadTimeout(Duration.ofMillis(10)))
                .hasMessageContaining("requestHeadTimeout");
        assertThatThrownBy(() -> ClientLimitsConfig.builder().requestHeadTimeout(Duration.ofHours(1)))
                .hasMessageContaining("requestHeadTimeout: 1h (expected: from 100ms to 10m)");
        assertThat(ClientLimitsConfig.builder().maxConnections(10).build().maxConnectionsPerClient()).isEqualTo(10);
    }

    private static Socket connect(RunningGateway gateway, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /api/x HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return readHead(socket.getInputStream());
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        // The body ("up") follows; the next read on a kept connection starts at a fresh head.
        String text = head.toString();
        int length = text.toLowerCase().contains("content-length: 2") ? 2 : 0;
        in.readNBytes(length);
        return text;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
