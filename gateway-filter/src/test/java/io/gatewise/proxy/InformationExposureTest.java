package io.gatewise.proxy;

import io.gatewise.runtime.Gateway;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a visitor must never learn about the inside, what an upstream must never receive, and what
 * it is told about the client: staged on loopback with raw sockets on both sides where the exact
 * bytes matter.
 */
class InformationExposureTest {
    private static final String TOKEN = "operator-token-0123456789";
    /** What a hostile or careless upstream says about the inside, with a member forged in the gateway's name. */
    private static final String UPSTREAM_PROXY_STATUS = "db-pool; error=connection_refused; details=\"db password=hunter2\";"
            + " next-hop=\"10.0.0.1:5432\", " + RunningGateway.NAME + "; error=proxy_internal_error";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static RouteConfig route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url).build();
    }

    private static ErrorPagesConfig withToken() {
        return ErrorPagesConfig.builder().operator(new ErrorPagesConfig.Operator().token(TOKEN)).build();
    }

    private RunningGateway start(String upstreamUrl, Consumer<ServerConfig.Builder> settings) throws Exception {
        return gateways.builder().route(route(upstreamUrl)).settings(settings).gatewayErrorPages(withToken()).start();
    }

    @Test
    void aGeneratedFailureShowsVisitorsTheErrorTypeOnly() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = start("http://127.0.0.1:" + port, settings -> {
        });

        RawResponse visitor = RawResponse.get(gateway.port(), "/api/users", Map.of());
        assertThat(visitor.status()).isEqualTo(502);
        assertThat(visitor.headers("Proxy-Status")).containsExactly(RunningGateway.NAME + "; error=connection_refused");
        assertThat(visitor.head()).doesNotContain(":" + port).doesNotContain("details");

        ContentResponse operator = gateway.get("/api/users", h -> h.put(ErrorPagesConfig.TOKEN_HEADER, TOKEN));
        assertThat(RunningGateway.lastProxyStatusMember(operator).parameters())
                .containsEntry("error", "connection_refused").containsEntry("next-hop", "127.0.0.1:" + port)
                .containsKey("details");
    }

    @Test
    void fullProxyStatusShowsEveryoneTheNextHopButNotTheDetails() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = start("http://127.0.0.1:" + port,
                settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL));

        ContentResponse visitor = gateway.get("/api/users");
        assertThat(RunningGateway.lastProxyStatusMember(visitor).parameters())
                .containsEntry("error", "connection_refused").containsEntry("next-hop", "127.0.0.1:" + port)
                .doesNotContainKey("details");
    }

    @Test
    void anUpstreamErrorKeepsItsProxyStatusAndAddressFromVisitors() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 503 Service Unavailable\r\n"
                + "Proxy-Status: " + UPSTREAM_PROXY_STATUS + "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"));
        RunningGateway gateway = start(upstream.url(), settings -> {
        });

        RawResponse visitor = RawResponse.get(gateway.port(), "/api/users", Map.of());
        assertThat(visitor.status()).isEqualTo(503);
        assertThat(visitor.body()).isEqualTo("busy");
        assertThat(visitor.headers("Proxy-Status")).as("the gateway's own member alone")
                .containsExactly(RunningGateway.NAME + "; received-status=503");
        assertThat(visitor.head()).doesNotContain("hunter2").doesNotContain("10.0.0.1").doesNotContain("db-pool")
                .doesNotContain(":" + upstream.port()).doesNotContain("proxy_internal_error");

        RawResponse operator = RawResponse.get(gateway.port(), "/api/users", Map.of(ErrorPagesConfig.TOKEN_HEADER, TOKEN));
        assertThat(operator.headers("Proxy-Status")).containsExactly(UPSTREAM_PROXY_STATUS + ", " + RunningGateway.NAME
                + "; next-hop=\"127.0.0.1:" + upstream.port() + "\"; received-status=503");
    }

    @Test
    void fullProxyStatusPassesTheUpstreamsMembersThroughToEveryone() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 502 Bad Gateway\r\n"
                + "Proxy-Status: inner-lb; error=destination_unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        RunningGateway gateway = start(upstream.url(), settings -> settings.proxyStatus("FULL"));

        assertThat(gateway.get("/api/users").getHeaders().get("Proxy-Status"))
                .isEqualTo("inner-lb; error=destination_unavailable, " + RunningGateway.NAME + "; next-hop=\"127.0.0.1:"
                        + upstream.port() + "\"; received-status=502");
    }

    @Test
    void anUpstreamsProxyStatusOnASuccessReachesOperatorsOnly() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 200 OK\r\n"
                + "Proxy-Status: " + UPSTREAM_PROXY_STATUS + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
        RunningGateway gateway = start(upstream.url(), settings -> {
        });

        RawResponse visitor = RawResponse.get(gateway.port(), "/api/users", Map.of());
        assertThat(visitor.status()).isEqualTo(200);
        assertThat(visitor.headers("Proxy-Status")).isEmpty();
        assertThat(visitor.head()).doesNotContain("hunter2").doesNotContain("10.0.0.1");

        ContentResponse operator = gateway.get("/api/users", h -> h.put(ErrorPagesConfig.TOKEN_HEADER, TOKEN));
        // Jetty's proxy rewrites the field's list syntax as it copies it; what it says is kept.
        assertThat(operator.getHeaders().get("Proxy-Status")).contains("db-pool", "10.0.0.1:5432", "hunter2");
    }

    @Test
    void theOperatorTokenNeverReachesTheUpstreamInAnyCase() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "ok"));
        RunningGateway gateway = start(upstream.url(), settings -> {
        });

        for (String name : List.of(ErrorPagesConfig.TOKEN_HEADER, "x-gatewise-operator-token",
                "X-GATEWISE-OPERATOR-TOKEN")) {
            assertThat(RawResponse.get(gateway.port(), "/api/users", Map.of(name, TOKEN)).status()).isEqualTo(200);
        }
        assertThat(upstream.requestHeads()).hasSize(3).allSatisfy(head -> assertThat(head.toLowerCase(Locale.ROOT))
                .doesNotContain("x-gatewise-operator-token").doesNotContain(TOKEN));
    }

    @Test
    void forwardingHeadersOfAnUntrustedClientAreReplacedByWhatTheGatewaySaw() throws Exception {
        RunningGateway gateway = start(gateways.jettyUpstream(new EchoServlet()).url(), settings -> {
        });

        ContentResponse response = gateway.get("/api/users", h -> h.put("X-Forwarded-For", "6.6.6.6")
                .put("X-Real-IP", "6.6.6.6").put("X-Forwarded-Host", "evil.example").put("X-Forwarded-Proto", "https")
                .put("X-Forwarded-Port", "443").put("Forwarded", "for=6.6.6.6;host=evil.example;proto=https"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        String host = "127.0.0.1:" + gateway.port();
        assertThat(EchoServlet.header(echo, "x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(EchoServlet.header(echo, "x-real-ip")).containsExactly("127.0.0.1");
        assertThat(EchoServlet.header(echo, "x-forwarded-proto")).containsExactly("http");
        assertThat(EchoServlet.header(echo, "x-forwarded-host")).containsExactly(host);
        assertThat(EchoServlet.header(echo, "x-forwarded-port")).isEmpty();
        assertThat(String.join(",", EchoServlet.header(echo, "forwarded"))).as("the gateway's element alone")
                .contains("for=\"127.0.0.1\"", "proto=http").doesNotContain("6.6.6.6").doesNotContain("evil.example")
                .doesNotContain(",");
    }

    @Test
    void aTrustedProxysForwardingHeadersAreKeptAndItsAddressAppended() throws Exception {
        RunningGateway gateway = start(gateways.jettyUpstream(new EchoServlet()).url(),
                settings -> settings.trustedProxies(List.of("127.0.0.0/8")));

        ContentResponse response = gateway.get("/api/users", h -> h.put("X-Forwarded-For", "203.0.113.7, 127.0.0.2")
                .put("X-Real-IP", "6.6.6.6").put("X-Forwarded-Host", "shop.example").put("X-Forwarded-Proto", "https")
                .put("Forwarded", "for=203.0.113.7;proto=https"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(EchoServlet.header(echo, "x-forwarded-for")).containsExactly("203.0.113.7, 127.0.0.2, 127.0.0.1");
        assertThat(EchoServlet.header(echo, "x-real-ip")).as("the last address no trusted proxy holds")
                .containsExactly("203.0.113.7");
        assertThat(EchoServlet.header(echo, "x-forwarded-proto")).containsExactly("https");
        assertThat(EchoServlet.header(echo, "x-forwarded-host")).containsExactly("shop.example");
        assertThat(String.join(",", EchoServlet.header(echo, "forwarded")))
                .startsWith("for=203.0.113.7;proto=https, ").contains("for=\"127.0.0.1\"");
    }

    @Test
    void aClientOutsideTheTrustedProxiesStillCannotClaimAnything() throws Exception {
        RunningGateway gateway = start(gateways.jettyUpstream(new EchoServlet()).url(),
                settings -> settings.trustedProxies(List.of("10.0.0.0/8")));

        ContentResponse response = gateway.get("/api/users", h -> h.put("X-Forwarded-For", "10.1.1.1")
                .put("X-Forwarded-Proto", "https"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(EchoServlet.header(echo, "x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(EchoServlet.header(echo, "x-forwarded-proto")).containsExactly("http");
    }

    @Test
    void responsesPassedThroughNameTheGatewayInViaButItsOwnPagesDoNot() throws Exception {
        SocketUpstream viaUpstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 503 Service Unavailable\r\n"
                + "Via: 1.1 inner-lb\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"));
        RunningGateway gateway = gateways.builder().route(route(viaUpstream.url()))
                .route(RouteConfig.builder().path("/plain/").upstream(gateways.socketUpstream(Faults.status(200, "ok"))
                        .url()).build())
                .route(RouteConfig.builder().path("/refused/").upstream("http://127.0.0.1:" + ClosedPort.find()).build())
                .gatewayErrorPages().start();

        assertThat(RawResponse.get(gateway.port(), "/api/users", Map.of()).headers("Via"))
                .containsExactly("1.1 inner-lb, 1.1 " + RunningGateway.NAME);
        assertThat(RawResponse.get(gateway.port(), "/plain/x", Map.of()).headers("Via"))
                .containsExactly("1.1 " + RunningGateway.NAME);
        RawResponse ownPage = RawResponse.get(gateway.port(), "/refused/x", Map.of());
        assertThat(ownPage.status()).isEqualTo(502);
        assertThat(ownPage.headers("Via")).isEmpty();
    }

    /** A response read off a raw socket, headers exactly as they came. */
    private record RawResponse(String head, String body) {
        static RawResponse get(int port, String path, Map<String, String> headers) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nConnection: close\r\n");
                headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
                socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                in.transferTo(received);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                return new RawResponse(text.substring(0, end), text.substring(end + 4));
            }
        }

        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }
    }
}
