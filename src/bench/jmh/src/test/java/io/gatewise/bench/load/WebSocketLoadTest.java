package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket scenarios' load client against their echo upstream, in this JVM: Jetty's server
 * checks every frame the client writes (masking, lengths), and the client checks every echo.
 */
class WebSocketLoadTest {
    @Test
    void framesAreMaskedWithTheConnectionsKeyAndCarryTheirLength() {
        byte[] mask = {1, 2, 3, 4};

        ByteBuffer small = WebSocketLoad.clientFrame((byte) 0x2, new byte[64], mask);
        assertThat(small.remaining()).isEqualTo(2 + 4 + 64);
        assertThat(small.get(0)).isEqualTo((byte) 0x82);
        assertThat(small.get(1)).isEqualTo((byte) (0x80 | 64));
        assertThat(small.get(6)).isEqualTo((byte) 1);
        assertThat(small.get(9)).isEqualTo((byte) 4);

        ByteBuffer large = WebSocketLoad.clientFrame((byte) 0x2, new byte[16 * 1024], mask);
        assertThat(large.remaining()).isEqualTo(4 + 4 + 16 * 1024);
        assertThat(large.get(1)).isEqualTo((byte) (0x80 | 126));
        assertThat(large.getShort(2) & 0xFFFF).isEqualTo(16 * 1024);
        assertThat(WebSocketLoad.headerLength(70_000, true)).isEqualTo(14);
    }

    @Test
    void percentilesAreReadFromTheSortedRoundTrips() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000_000L;
        }
        assertThat(WebSocketLoad.percentileMillis(nanos, 0.50)).isEqualTo(50.0);
        assertThat(WebSocketLoad.percentileMillis(nanos, 0.99)).isEqualTo(99.0);
        assertThat(WebSocketLoad.percentileMillis(new long[0], 0.99)).isNaN();
    }

    @Test
    void wsStandsForBothMessageSizes() {
        assertThat(LoadHarness.Scenario.of("ws")).containsExactly(LoadHarness.Scenario.WS_64,
                LoadHarness.Scenario.WS_16K);
        assertThat(LoadHarness.Scenario.of("ws-16k")).containsExactly(LoadHarness.Scenario.WS_16K);
        assertThat(LoadHarness.Scenario.WS_16K.messageBytes).isEqualTo(16 * 1024);
        assertThat(LoadHarness.Scenario.WS_64.wrk()).isFalse();
        assertThat(LoadHarness.Scenario.SMALL.wrk()).isTrue();
    }

    @Test
    void everyMessageComesBackFromTheEcho() throws Exception {
        Server echo = WebSocketEchoUpstream.serve(0);
        try {
            URI uri = URI.create("ws://127.0.0.1:" + ((ServerConnector) echo.getConnectors()[0]).getLocalPort()
                    + LoadHarness.WEBSOCKET_PATH);
            WebSocketLoad load = new WebSocketLoad();

            assertThat(load.check(uri, 64)).isNull();
            assertThat(load.check(uri, 16 * 1024)).isNull();
            for (int bytes : new int[] {64, 16 * 1024, 200 * 1024}) {
                Wrk.Result result = load.run(uri, 4, bytes, 1);
                assertThat(result.requests()).as(bytes + " bytes").isPositive();
                assertThat(result.socketErrors()).as(bytes + " bytes: connections that failed").isZero();
                assertThat(result.non2xx()).as(bytes + " bytes: wrong echoes").isZero();
                assertThat(result.p99Millis()).isPositive().isGreaterThanOrEqualTo(result.p50Millis());
            }
        } finally {
            echo.stop();
        }
    }

    @Test
    void aServerThatDoesNotUpgradeIsReported() throws Exception {
        // A plain HTTP server, as a proxy that forwards the upgrade's GET without its Upgrade would answer.
        HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plain.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            exchange.close();
        });
        plain.start();
        try {
            assertThat(new WebSocketLoad().check(URI.create("ws://127.0.0.1:" + plain.getAddress().getPort()
                    + LoadHarness.WEBSOCKET_PATH), 64)).isEqualTo("the upgrade was answered HTTP/1.1 200 OK");
        } finally {
            plain.stop(0);
        }
    }
}
