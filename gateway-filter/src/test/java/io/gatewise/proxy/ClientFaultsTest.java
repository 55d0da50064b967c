package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.upstream.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that is too slow or goes away is never blamed on the upstream: no failure event, no
 * {@code 502} or {@code 504}, and the upstream exchange it leaves behind is closed. Each client is
 * a raw socket, so it can misbehave in ways an HTTP client library would not.
 */
class ClientFaultsTest {
    private static final Duration COMPLETION_DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static RouteConfig route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url).build();
    }

    private static Socket connect(RunningGateway gateway) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        socket.setSoTimeout((int) COMPLETION_DEADLINE.toMillis());
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Reads until the connection closes (or resets).
     *
     * @return everything received, as ISO-8859-1 text
     */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway neither answered nor closed within " + COMPLETION_DEADLINE, e);
        } catch (IOException e) {
            // A reset counts as closed.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the response head and then {@code bodyBytes} more bytes.
     *
     * @return the head, up to and including the blank line
     */
    private static String readHeadAndSomeBody(Socket socket, int bodyBytes) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the response head before the connection ends").isNotNegative();
            head.append((char) b);
        }
        for (int i = 0; i < bodyBytes; i++) {
            assertThat(in.read()).as("body byte " + i).isNotNegative();
        }
        return head.toString();
    }

    /**
     * Waits for the access log line of a request: the gateway writes it when the exchange is
     * complete, after anything it would record.
     */
    private static String awaitAccessLog(RunningGateway gateway, String requestLine) throws InterruptedException {
        long deadline = System.nanoTime() + COMPLETION_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = gateway.accessLog().stream().filter(l -> l.contains("\"" + requestLine + "\""))
                    .findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no access log line for " + requestLine + " within " + COMPLETION_DEADLINE
                + "; lines so far: " + gateway.accessLog());
    }

    @Test
    void clientThatStopsSendingAStreamedBodyGets408OrACloseAndTheUpstreamIsNotBlamed() throws Exception {
        AtomicInteger bodyBytesAtUpstream = new AtomicInteger();
        CountDownLatch upstreamConnectionEnded = new CountDownLatch(1);
        SocketUpstream.Behavior readBodyThenAnswer = (socket, head) -> {
            try {
                InputStream in = socket.getInputStream();
                while (bodyBytesAtUpstream.get() < 100 && in.read() >= 0) {
                    bodyBytesAtUpstream.incrementAndGet();
                }
                if (bodyBytesAtUpstream.get() == 100) {
                    SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                }
            } finally {
                upstreamConnectionEnded.countDown();
            }
        };
        SocketUpstream upstream = gateways.socketUpstream(readBodyThenAnswer);
        RunningGateway gateway = gateways.builder().route(route(upstream.url()))
                .clientIdleTimeout(Duration.ofSeconds(1)).start();
        try (Socket client = connect(gateway)) {
            // Larger than retries.replayBodySize, so the body streams to the upstream as it arrives.
            send(client, "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + (RetryConfig.DEFAULT_REPLAY_BODY_SIZE + 1) + "\r\n\r\n" + "0123456789");

            String received = readUntilClosed(client);

            if (!received.isEmpty()) {
                assertThat(received).as("the client's own timeout, not the upstream's fault")
                        .startsWith("HTTP/1.1 408 ");
            }
            String logged = awaitAccessLog(gateway, "POST /api/upload HTTP/1.1");
            assertThat(logged).as("answered or not, the gateway logs the client's timeout").contains("\" 408 ");
            assertThat(logged).doesNotContain("\" 502 ").doesNotContain("\" 504 ").doesNotContain("error=");
            assertThat(gateway.pendingEvents()).as("a slow client is not an upstream failure").isEmpty();
            assertThat(upstreamConnectionEnded.await(COMPLETION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the gateway gave up the upstream exchange").isTrue();
            assertThat(bodyBytesAtUpstream.get()).as("what the client sent reached the upstream, no more")
                    .isEqualTo(10);
        }
    }

    @Test
    void clientThatStopsSendingAKeptBodyGets408OrACloseAndNoUpstreamSeesTheRequest() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "ok"));
        RunningGateway gateway = gateways.builder().route(route(upstream.url()))
                .clientIdleTimeout(Duration.ofSeconds(1)).start();
        try (Socket client = connect(gateway)) {
            // Small enough to be kept for replay: read whole before any upstream is contacted.
            send(client, "PUT /api/profile HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n" + "{\"name\":");

            String received = readUntilClosed(client);

            if (!received.isEmpty()) {
                assertThat(received).as("the client's own timeout").startsWith("HTTP/1.1 408 ");
            }
            String logged = awaitAccessLog(gateway, "PUT /api/profile HTTP/1.1");
            assertThat(logged).as("answered or not, the gateway logs the client's timeout").contains("\" 408 ");
            assertThat(logged).doesNotContain("\" 502 ").doesNotContain("\" 504 ").doesNotContain("error=");
            assertThat(gateway.pendingEvents()).as("a slow client is not an upstream failure").isEmpty();
            assertThat(upstream.requestHeads()).as("no upstream saw a request whose body never came").isEmpty();
            Endpoint endpoint = gateway.server().gateway().routes().routes().get(0).pool().endpoints().get(0);
            assertThat(endpoint.attempts()).isZero();
            assertThat(endpoint.inFlight()).isZero();
            assertThat(endpoint.failures()).isZero();
        }
    }

    /**
     * An upstream that streams a chunked body, one {@code chunkSize} chunk per {@code pause}, for
     * up to 10 s, and stops when a write fails (the gateway closed the connection).
     */
    private static SocketUpstream.Behavior streaming(int chunkSize, Duration pause, AtomicInteger chunksWritten,
            CountDownLatch writeFailed) {
        String chunk = Integer.toHexString(chunkSize) + "\r\n" + "x".repeat(chunkSize) + "\r\n";
        return (socket, head) -> {
            SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (System.nanoTime() < deadline) {
                    SocketUpstream.write(socket, chunk);
                    chunksWritten.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
                SocketUpstream.write(socket, "0\r\n\r\n");
            } catch (IOException e) {
                writeFailed.countDown();
                throw e;
            }
        };
    }

    @Test
    void clientThatGoesAwayMidResponseIsNotBlamedOnTheUpstreamAndTheUpstreamConnectionIsClosed() throws Exception {
        CountDownLatch upstreamWriteFailed = new CountDownLatch(1);
        AtomicInteger chunksWritten = new AtomicInteger();
        SocketUpstream upstream = gateways.socketUpstream(streaming(1024, Duration.ofMillis(50), chunksWritten,
                upstreamWriteFailed));

        RunningGateway gateway = gateways.start(route(upstream.url()));
        try (Socket client = connect(gateway)) {
            send(client, "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String head = readHeadAndSomeBody(client, 16);
            assertThat(head).startsWith("HTTP/1.1 200 ");
        }

        assertThat(upstreamWriteFailed.await(COMPLETION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .as("the gateway closed the upstream connection once the client was gone").isTrue();
        assertThat(chunksWritten.get()).as("the upstream was stopped well before its 10 s stream ended")
                .isLessThan(150);
        String logged = awaitAccessLog(gateway, "GET /api/stream HTTP/1.1");
        assertThat(logged).contains("\" 200 ").doesNotContain("error=");
        assertThat(gateway.pendingEvents()).as("a vanished client is not an upstream failure").isEmpty();
    }

    /**
     * The same as above against a fast upstream (8 KiB every millisecond), 50 times: the client
     * goes away while the next piece is already on its way to it.
     */
    @Test
    void clientThatGoesAwayFromAFastStreamIsNeverBlamedOnTheUpstream() throws Exception {
        int exchanges = 50;
        CountDownLatch upstreamWritesFailed = new CountDownLatch(exchanges);
        SocketUpstream upstream = gateways.socketUpstream(streaming(8192, Duration.ofMillis(1), new AtomicInteger(),
                upstreamWritesFailed));
        RunningGateway gateway = gateways.start(route(upstream.url()));
        for (int i = 0; i < exchanges; i++) {
            try (Socket client = connect(gateway)) {
                send(client, "GET /api/fast/" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(readHeadAndSomeBody(client, 16)).startsWith("HTTP/1.1 200 ");
            }
            awaitAccessLog(gateway, "GET /api/fast/" + i + " HTTP/1.1");
        }

        assertThat(upstreamWritesFailed.await(COMPLETION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .as("every upstream connection was closed").isTrue();
        assertThat(gateway.pendingEvents()).as("a vanished client is not an upstream failure").isEmpty();
    }
}
