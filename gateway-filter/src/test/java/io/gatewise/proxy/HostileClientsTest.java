package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import io.gatewise.upstream.Endpoint;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One client that tries to hurt the gateway, staged with raw sockets on loopback: what it declares
 * costs no memory until it arrives, and what it expects of the protocol is never blamed on a
 * healthy upstream.
 */
class HostileClientsTest {
    private static final int SIXTEEN_MB = 16 * 1024 * 1024;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void declaredBodiesCostNoMemoryUntilTheyArriveAndAllKeptBodiesShareOneBound() throws Exception {
        NamedServlet upstream = new NamedServlet("up");
        RunningGateway gateway = gateways.builder()
                .settings(settings -> settings.replayMemory(20 * 1024 * 1024))
                .route(RouteConfig.builder().path("/api/").upstream(gateways.jettyUpstream(upstream).url())
                        .retries(RetryConfig.builder().replayBodySize(SIXTEEN_MB).build()).build())
                .start();
        ReplayMemory memory = gateway.server().gateway().proxyRuntime().replayMemory();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                clients.add(RawClient.connect(gateway.port()).send("POST /api/upload HTTP/1.1\r\nHost: gw\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + SIXTEEN_MB + "\r\n\r\n"));
            }

            // One body fits the 20MB bound and waits to be read whole; the other eleven stream through at once.
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.served() == 11);
            assertThat(memory.reservedBytes()).isEqualTo(SIXTEEN_MB);
            assertThat(memory.heldBytes()).as("nothing arrived, nothing allocated").isZero();

            for (RawClient client : clients) {
                client.send("x".repeat(1000));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> memory.heldBytes() > 0);
            assertThat(memory.heldBytes()).as("the kept body's buffer grows with its bytes, not its declaration")
                    .isLessThanOrEqualTo(8 * 1024);
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(memory.reservedBytes()).as("given back when the request ends").isZero();
            assertThat(memory.heldBytes()).isZero();
        });
    }

    @Test
    void theGatewayMeetsExpectContinueItselfAndNeverBlamesAnUpstreamThatSendsNoContinue() throws Exception {
        // Like an HTTP/1.0 server: reads the body by its Content-Length and never sends 100 Continue.
        SocketUpstream upstream = gateways.socketUpstream((socket, head) -> {
            int length = contentLength(head);
            InputStream in = socket.getInputStream();
            byte[] body = in.readNBytes(length);
            String answer = "read " + body.length + " " + new String(body, StandardCharsets.ISO_8859_1);
            SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + answer.length()
                    + "\r\n\r\n" + answer);
        });
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url())
                .timeouts(TimeoutsConfig.builder().idle(Duration.ofSeconds(2)).build())
                .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(2).windowSize(4).build()).build());

        for (int i = 0; i < 10; i++) {
            try (RawClient client = RawClient.connect(gateway.port())) {
                client.send("POST /api/orders HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 5\r\n\r\n");
                assertThat(client.readHead()).as("the gateway's own interim answer").startsWith("HTTP/1.1 100 ");
                String response = client.send("hello").readResponse();

                assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("read 5 hello");
            }
        }
        assertThat(upstream.requestHeads()).hasSize(10)
                .allSatisfy(head -> assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("expect:"));
        Endpoint endpoint = gateway.server().gateway().routes().routes().get(0).pool().endpoints().get(0);
        assertThat(endpoint.failures()).isZero();
        assertThat(endpoint.circuitState()).contains("CLOSED");
    }

    @Test
    void queriesWithCharactersBrowsersSendRawAreForwardedAsSentOnlyMalformedEscapesEscaped() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "ok"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url()).build());
        List<String> queries = List.of("q={}", "a|b", "x^2", "p=a\\b", "s=\"x\"", "t=<b>", "u=`id`", "bad=%zz",
                "lone=%", "all={|^`}%zz%");

        for (String query : queries) {
            try (RawClient client = RawClient.connect(gateway.port())) {
                String response = client.send("GET /api/search?" + query + " HTTP/1.1\r\nHost: gw\r\n\r\n")
                        .readResponse();

                assertThat(response).as(query).startsWith("HTTP/1.1 200 ");
            }
        }
        // Jetty's client cannot write a malformed escape: only a % without two hex digits becomes %25.
        List<String> forwarded = List.of("q={}", "a|b", "x^2", "p=a\\b", "s=\"x\"", "t=<b>", "u=`id`",
                "bad=%25zz", "lone=%25", "all={|^`}%25zz%25");
        assertThat(upstream.requestHeads()).extracting(head -> head.substring(0, head.indexOf("\r\n")))
                .as("each request line as the client sent it")
                .containsExactlyElementsOf(forwarded.stream().map(q -> "GET /api/search?" + q + " HTTP/1.1").toList());
        assertThat(gateway.pendingEvents()).as("a client's odd query is no failure").isEmpty();
    }

    @Test
    void aBodyWithoutContentTypeIsForwardedWithoutOneKeptOrStreamed() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream((socket, head) -> {
            socket.getInputStream().readNBytes(contentLength(head));
            SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        });
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url())
                .retries(RetryConfig.builder().replayBodySize(1024).build()).build());

        for (int length : new int[] {10, 4000}) {
            try (RawClient client = RawClient.connect(gateway.port())) {
                String response = client.send("POST /api/items HTTP/1.1\r\nHost: gw\r\nContent-Length: " + length
                        + "\r\n\r\n" + "b".repeat(length)).readResponse();
                assertThat(response).startsWith("HTTP/1.1 200 ");
            }
        }
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("POST /api/items HTTP/1.1\r\nHost: gw\r\nContent-Type: text/csv\r\nContent-Length: 3\r\n"
                    + "\r\na,b").readResponse();
        }

        List<String> heads = upstream.requestHeads();
        assertThat(heads.subList(0, 2)).as("kept (10 bytes) and streamed (4000 bytes), no type added")
                .allSatisfy(head -> assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("content-type"));
        assertThat(heads.get(2)).contains("Content-Type: text/csv");
    }

    @Test
    void forgedLoopsAreAnswered502AndCountedEveryTime() throws Exception {
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(
                gateways.jettyUpstream(new NamedServlet("up")).url()).build());

        for (int i = 0; i < 20; i++) {
            assertThat(gateway.get("/x", headers -> headers.put("Via", "1.1 " + RunningGateway.NAME)).getStatus())
                    .isEqualTo(502);
        }

        assertThat(gateway.server().gateway().loopsDetected()).isEqualTo(20);
        assertThat(gateway.pendingEvents()).as("every one still reaches the listeners").hasSize(20);
    }

    @Test
    void traceIsAnswered405UnlessTheRouteAllowsIt() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "echo"));
        RunningGateway gateway = gateways.start(
                RouteConfig.builder().path("/api/").upstream(upstream.url()).build(),
                RouteConfig.builder().path("/debug/").upstream(upstream.url()).allowTrace(true).build());

        try (RawClient client = RawClient.connect(gateway.port())) {
            String refused = client.send("TRACE /api/x HTTP/1.1\r\nHost: gw\r\nCookie: secret=1\r\n\r\n")
                    .readResponse();
            assertThat(refused).startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS")
                    .contains("X-Content-Type-Options: nosniff");
        }
        try (RawClient client = RawClient.connect(gateway.port())) {
            assertThat(client.send("TRACE /debug/x HTTP/1.1\r\nHost: gw\r\n\r\n").readResponse())
                    .startsWith("HTTP/1.1 200 ");
        }
        assertThat(upstream.requestHeads()).hasSize(1).first().asString().startsWith("TRACE /debug/x ");
        assertThat(gateway.pendingEvents()).as("a refused TRACE is the client's, no failure").isEmpty();
    }

    @Test
    void responseHeadersPassThroughByteForByte() throws Exception {
        String headers = "ETag: \"v1-abc\"\r\n"
                + "Content-Disposition: attachment; filename=\"report, final.csv\"\r\n"
                + "Set-Cookie: id=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/\r\n"
                + "Link: </a.css>; rel=\"preload\", </b.js>; rel=\"preload\"\r\n"
                + "X-Odd:   spaced   value  \r\n";
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 200 OK\r\n" + headers
                + "Connection: close\r\nContent-Length: 2\r\n\r\nok"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());

        try (RawClient client = RawClient.connect(gateway.port())) {
            String response = client.send("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200 ").contains("ETag: \"v1-abc\"\r\n",
                    "Content-Disposition: attachment; filename=\"report, final.csv\"\r\n",
                    "Set-Cookie: id=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/\r\n",
                    "Link: </a.css>; rel=\"preload\", </b.js>; rel=\"preload\"\r\n",
                    "X-Odd: spaced   value\r\n");
        }
    }

    @Test
    void encodedSlashesPassThroughUnchangedAndCannotClimbIntoAnotherRoute() throws Exception {
        SocketUpstream api = gateways.socketUpstream(Faults.status(200, "api"));
        SocketUpstream admin = gateways.socketUpstream(Faults.status(200, "admin"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(api.url()).build(),
                RouteConfig.builder().path("/api/admin/").upstream(admin.url()).build());

        for (String path : new String[] {"/api/projects/group%2Fsubgroup%2Frepo/issues", "/api/admin%2Fusers",
                "/api/a%2fb"}) {
            try (RawClient client = RawClient.connect(gateway.port())) {
                assertThat(client.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n").readResponse()).as(path)
                        .startsWith("HTTP/1.1 200 ").endsWith("api");
            }
        }
        assertThat(api.requestHeads()).extracting(head -> head.substring(0, head.indexOf(' ', 4)))
                .as("as the client sent them; admin%2Fusers is one segment of /api/, not /api/admin/")
                .containsExactly("GET /api/projects/group%2Fsubgroup%2Frepo/issues", "GET /api/admin%2Fusers",
                        "GET /api/a%2fb");
        assertThat(admin.requestHeads()).isEmpty();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }
}
