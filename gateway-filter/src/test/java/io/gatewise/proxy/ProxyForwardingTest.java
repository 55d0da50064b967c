package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.Digests;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.PatternStream;
import io.gatewise.testing.RunningGateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests through a real gateway to real upstreams, all on loopback. */
class ProxyForwardingTest {
    private static final int TWENTY_MB = 20 * 1024 * 1024;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstRequestChunkSeen = new CountDownLatch(1);
    private JettyUpstream upstream;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = gateways.jettyUpstream(Map.of(
                "/*", new EchoServlet(),
                "/download/*", new DownloadServlet(),
                "/chunked/*", new ChunkedServlet(),
                "/trickle/*", new TrickleServlet(release),
                "/slow-reader/*", new SlowReaderServlet(firstRequestChunkSeen),
                "/redirect/*", new RedirectServlet()));
        gateway = gateways.builder().route(RouteConfig.builder().path("/").upstream(upstream.url()).build())
                .gatewayErrorPages().start();
    }

    /** Lets a held response finish before the extension stops the gateway and the upstream. */
    @AfterEach
    void releaseHeldResponses() {
        release.countDown();
    }

    @Test
    void getForwardsMethodPathRawQueryAndHeaders() throws Exception {
        ContentResponse response = gateway.request("/api/users/caf%C3%A9?q=a%20b&tag=x+y&empty=")
                .headers(h -> h.put("X-Request-Id", "r-1").put("Accept", "application/json"))
                .send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("X-Upstream")).isEqualTo("echo");
        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(echo.get("method")).isEqualTo("GET");
        assertThat(echo.get("uri")).isEqualTo("/api/users/caf%C3%A9");
        assertThat(echo.get("query")).isEqualTo("q=a%20b&tag=x+y&empty=");
        assertThat(EchoServlet.header(echo, "x-request-id")).containsExactly("r-1");
        assertThat(EchoServlet.header(echo, "accept")).containsExactly("application/json");
        assertThat(EchoServlet.header(echo, "host")).containsExactly(upstream.url().substring("http://".length()));
    }

    @Test
    void postForwardsItsBodyAndContentType() throws Exception {
        String body = "{\"name\":\"Ada\"}";
        ContentResponse response = gateway.request("/api/users").method(HttpMethod.POST)
                .body(new StringRequestContent("application/json", body)).send();

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(echo.get("method")).isEqualTo("POST");
        assertThat(EchoServlet.header(echo, "content-type")).containsExactly("application/json");
        assertThat(((Number) echo.get("bodyLength")).longValue()).isEqualTo(body.length());
        assertThat(echo.get("bodySha256"))
                .isEqualTo(Digests.sha256(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void twentyMegabyteUploadArrivesIntact() throws Exception {
        ContentResponse response = gateway.request("/upload").method(HttpMethod.PUT)
                .body(new InputStreamRequestContent("application/octet-stream", new PatternStream(TWENTY_MB),
                        new ByteBufferPool.Sized(gateway.client().getByteBufferPool(), false, 16384)))
                .timeout(60, TimeUnit.SECONDS)
                .send();

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(((Number) echo.get("bodyLength")).longValue()).isEqualTo(TWENTY_MB);
        assertThat(echo.get("bodySha256")).isEqualTo(Digests.sha256(new PatternStream(TWENTY_MB)));
    }

    @Test
    void twentyMegabyteDownloadArrivesIntact() throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        gateway.request("/download/" + TWENTY_MB).send(listener);
        Response response = listener.get(30, TimeUnit.SECONDS);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().getLongField("Content-Length")).isEqualTo(TWENTY_MB);
        assertThat(Digests.sha256(listener.getInputStream())).isEqualTo(Digests.sha256(new PatternStream(TWENTY_MB)));
    }

    @Test
    void responseBodyIsStreamedBeforeTheUpstreamFinishes() throws Exception {
        // A raw client sees each byte as it arrives; the upstream holds back the rest of its body
        // until the first piece has reached the client, so a buffering gateway would stall here.
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /trickle/ HTTP/1.1\r\nHost: gw\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String beforeRelease = readUntil(in, TrickleServlet.FIRST);
            release.countDown();
            String afterRelease = readUntil(in, "\r\n0\r\n\r\n");

            assertThat(beforeRelease).startsWith("HTTP/1.1 200 ").contains("Transfer-Encoding: chunked")
                    .doesNotContain(TrickleServlet.REST);
            assertThat(afterRelease).contains(TrickleServlet.REST);
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before " + marker + " after: " + seen);
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    @Test
    void requestBodyIsStreamedBeforeTheClientFinishes() throws Exception {
        AsyncRequestContent content = new AsyncRequestContent();
        InputStreamResponseListener listener = new InputStreamResponseListener();
        gateway.request("/slow-reader/").method(HttpMethod.POST).body(content).send(listener);

        content.write(ByteBuffer.wrap("first-piece;".getBytes(StandardCharsets.US_ASCII)), org.eclipse.jetty.util.Callback.NOOP);
        // Only once the upstream has read the first piece does the client send the rest.
        assertThat(firstRequestChunkSeen.await(10, TimeUnit.SECONDS)).as("first piece reached upstream").isTrue();
        content.write(ByteBuffer.wrap("rest".getBytes(StandardCharsets.US_ASCII)), org.eclipse.jetty.util.Callback.NOOP);
        content.close();

        Response response = listener.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(new String(listener.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("first-piece;rest");
    }

    @Test
    void chunkedResponsePassesThroughWhole() throws Exception {
        ContentResponse response = gateway.get("/chunked/");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(response.getHeaders().get("Content-Length")).isNull();
        assertThat(response.getContentAsString()).isEqualTo("one,two,three");
    }

    @Test
    void viaAndForwardedNameTheGatewayAndTheClient() throws Exception {
        Map<String, Object> echo = EchoServlet.parse(gateway.get("/x", h -> h.put("Via", "1.1 earlier-proxy"))
                .getContentAsString());

        assertThat(EchoServlet.header(echo, "via")).containsExactly("1.1 earlier-proxy, 1.1 edge-test");
        assertThat(String.join(",", EchoServlet.header(echo, "forwarded")))
                .contains("for=\"127.0.0.1\"")
                .contains("host=\"127.0.0.1:" + gateway.port() + "\"")
                .contains("proto=http");
    }

    @Test
    void redirectsAndErrorStatusesOfTheUpstreamPassThroughUnchanged() throws Exception {
        ContentResponse redirect = gateway.get("/redirect/");
        assertThat(redirect.getStatus()).isEqualTo(302);
        assertThat(redirect.getHeaders().get("Location")).isEqualTo("/elsewhere");
        assertThat(redirect.getHeaders().get("Set-Cookie")).startsWith("session=s1;");
    }

    @Test
    void hopByHopHeadersAreDroppedOnBothLegs() throws Exception {
        SocketUpstream raw = gateways.socketUpstream((socket, head) -> SocketUpstream.write(socket,
                "HTTP/1.1 200 OK\r\nConnection: X-Upstream-Private\r\nX-Upstream-Private: secret\r\n"
                        + "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nX-Kept: yes\r\n"
                        + "Content-Length: 2\r\n\r\nok"));
        RunningGateway hop = gateways.builder().route(RouteConfig.builder().path("/").upstream(raw.url()).build())
                .gatewayErrorPages().start();
        try (Socket socket = new Socket("127.0.0.1", hop.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /hop HTTP/1.1\r\nHost: gw\r\nConnection: keep-alive, X-Client-Private\r\n"
                    + "X-Client-Private: secret\r\nKeep-Alive: timeout=5\r\nTE: deflate, trailers\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Kept: yes\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String responseHead = readHead(socket.getInputStream());

            assertThat(responseHead).startsWith("HTTP/1.1 200 ").containsIgnoringCase("X-Kept: yes")
                    .doesNotContainIgnoringCase("X-Upstream-Private")
                    .doesNotContainIgnoringCase("Keep-Alive:")
                    .doesNotContainIgnoringCase("Proxy-Authenticate");
        }
        String upstreamHead = raw.requestHeads().get(0);
        assertThat(upstreamHead).startsWith("GET /hop HTTP/1.1\r\n").containsIgnoringCase("X-Kept: yes")
                .doesNotContainIgnoringCase("X-Client-Private")
                .doesNotContainIgnoringCase("Keep-Alive")
                .doesNotContainIgnoringCase("deflate")
                .doesNotContainIgnoringCase("Proxy-Authorization");
        // The gateway passes trailers on (see StreamSemantics), so of TE it keeps that one value, as gRPC needs.
        assertThat(upstreamHead).containsIgnoringCase("\r\nTE: trailers\r\n");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Streams {@code n} pattern bytes with a Content-Length, n taken from the path. */
    static final class DownloadServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long length = Long.parseLong(request.getPathInfo().substring(1));
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(length);
            new PatternStream(length).transferTo(response.getOutputStream());
        }
    }

    /** Writes three flushed pieces without a Content-Length, so HTTP/1.1 chunks them. */
    static final class ChunkedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            for (String piece : new String[] {"one,", "two,", "three"}) {
                response.getOutputStream().write(piece.getBytes(StandardCharsets.US_ASCII));
                response.flushBuffer();
            }
        }
    }

    /** Sends a first piece, then waits for the test's signal before sending the rest. */
    static final class TrickleServlet extends HttpServlet {
        static final String FIRST = "first-piece;";
        static final String REST = "rest-of-body";
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch release;

        TrickleServlet(CountDownLatch release) {
            this.release = release;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(FIRST.getBytes(StandardCharsets.US_ASCII));
            response.flushBuffer();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            response.getOutputStream().write(REST.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Reads the first piece of the body, signals it, then reads the rest and echoes it all. */
    static final class SlowReaderServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch firstPieceSeen;

        SlowReaderServlet(CountDownLatch firstPieceSeen) {
            this.firstPieceSeen = firstPieceSeen;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            InputStream in = request.getInputStream();
            byte[] first = in.readNBytes("first-piece;".length());
            firstPieceSeen.countDown();
            byte[] rest = in.readAllBytes();
            response.setContentType("text/plain");
            response.getOutputStream().write(first);
            response.getOutputStream().write(rest);
        }
    }

    /** Answers a redirect with a cookie, which the gateway must pass on, not follow or keep. */
    static final class RedirectServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(302);
            response.setHeader("Location", "/elsewhere");
            response.setHeader("Set-Cookie", "session=s1; Path=/");
        }
    }
}
