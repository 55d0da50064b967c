package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.faults.Faults;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the server refuses before any servlet runs get the gateway's own page, negotiated like
 * every other, and never the parser's reason, which would echo the client's bytes back.
 */
class ServerErrorPagesTest {
    private static final String PROBE = "zq7probe";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = gateways.start(RouteConfig.builder().path("/").upstream(
                gateways.socketUpstream(Faults.status(200, "ok")).url()).build());
    }

    private String exchange(String request) throws Exception {
        try (RawClient client = RawClient.connect(gateway.port())) {
            return client.send(request).readResponse();
        }
    }

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                Arguments.of("a header line without a colon", 400,
                        "GET /x HTTP/1.1\r\nHost: gw\r\n" + PROBE + " <script>\r\n\r\n"),
                Arguments.of("a request line too long", 414,
                        "GET /" + PROBE + "a".repeat(20_000) + " HTTP/1.1\r\nHost: gw\r\n\r\n"),
                Arguments.of("a header section too large", 431,
                        "GET /x HTTP/1.1\r\nHost: gw\r\nX-" + PROBE + ": " + "b".repeat(20_000) + "\r\n\r\n"),
                Arguments.of("an HTTP version from the future", 505,
                        "GET /x" + PROBE + " HTTP/7.1\r\nHost: gw\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void aRequestTheServerRefusesGetsTheGatewaysPageWithoutEchoingIt(String what, int status, String request)
            throws Exception {
        String response = exchange(request);

        assertThat(response).startsWith("HTTP/1.1 " + status + " ")
                .contains("Content-Type: text/plain;charset=utf-8", "X-Content-Type-Options: nosniff",
                        "Vary: Accept, Accept-Language", "Cache-Control: no-store")
                .doesNotContain(PROBE).doesNotContain("<script>").doesNotContain("Illegal");
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).startsWith(status + " ");
    }

    @Test
    void aTransferCodingTheGatewayCannotUndoIs501() throws Exception {
        for (String coding : new String[] {"gzip, chunked", "identity, chunked"}) {
            String response = exchange("POST /x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: " + coding
                    + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

            assertThat(response).as(coding).startsWith("HTTP/1.1 501 ").contains("X-Content-Type-Options: nosniff");
        }
    }

    @Test
    void transferEncodingInAnHttp10RequestIsFaultyFraming400AndTheConnectionCloses() throws Exception {
        try (RawClient client = RawClient.connect(gateway.port())) {
            String response = client.send("POST /x HTTP/1.0\r\nHost: gw\r\nConnection: keep-alive\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 400 ");
            assertThat(client.socket().getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aRequestForNoResourceIsNegotiatedLikeEveryOtherPage() throws Exception {
        // A request that parses but names no resource: its headers are known, so the page is negotiated.
        String json = exchange("OPTIONS * HTTP/1.1\r\nHost: gw\r\nAccept: application/problem+json\r\n\r\n");
        String html = exchange("OPTIONS * HTTP/1.1\r\nHost: gw\r\nAccept: text/html\r\nAccept-Language: zh-CN\r\n\r\n");

        assertThat(json).matches("(?s)HTTP/1.1 4\\d\\d .*").contains("Content-Type: application/problem+json")
                .contains("\"status\":4");
        assertThat(html).matches("(?s)HTTP/1.1 4\\d\\d .*").contains("Content-Type: text/html;charset=utf-8",
                "Content-Language: zh-CN", "Content-Security-Policy: ", "<!DOCTYPE html>");
    }
}
