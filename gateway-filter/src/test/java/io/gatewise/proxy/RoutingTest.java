package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which upstream a request reaches, through a real gateway with several routes. */
class RoutingTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private JettyUpstream api;
    private JettyUpstream admin;
    private JettyUpstream legacy;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        api = gateways.jettyUpstream(new EchoServlet());
        admin = gateways.jettyUpstream(new EchoServlet());
        legacy = gateways.jettyUpstream(new EchoServlet());
        gateway = gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream(api.url()).build())
                .route(RouteConfig.builder().path("/api/admin/").upstream(admin.url()).build())
                .route(RouteConfig.builder().path("/legacy/").stripPrefix(true).upstream(legacy.url() + "/old-app")
                        .build())
                .gatewayErrorPages().start();
    }

    private Map<String, Object> echo(String pathAndQuery) throws Exception {
        ContentResponse response = gateway.get(pathAndQuery);
        assertThat(response.getStatus()).as(pathAndQuery).isEqualTo(200);
        return EchoServlet.parse(response.getContentAsString());
    }

    private String hostSeenBy(Map<String, Object> echo) {
        return "http://" + EchoServlet.header(echo, "host").get(0);
    }

    @Test
    void longestMatchingPrefixPicksTheUpstream() throws Exception {
        assertThat(hostSeenBy(echo("/api/admin/users"))).isEqualTo(admin.url());
        assertThat(hostSeenBy(echo("/api/users"))).isEqualTo(api.url());
        assertThat(hostSeenBy(echo("/api"))).isEqualTo(api.url());
    }

    @Test
    void stripPrefixReplacesTheRoutePathWithTheUpstreamBasePath() throws Exception {
        Map<String, Object> echo = echo("/legacy/reports/2024?format=csv");

        assertThat(hostSeenBy(echo)).isEqualTo(legacy.url());
        assertThat(echo.get("uri")).isEqualTo("/old-app/reports/2024");
        assertThat(echo.get("query")).isEqualTo("format=csv");
    }

    @Test
    void dotSegmentsAreResolvedBeforeMatching() throws Exception {
        Map<String, Object> echo = echo("/legacy/../api/admin/x");

        assertThat(hostSeenBy(echo)).isEqualTo(admin.url());
        assertThat(echo.get("uri")).isEqualTo("/api/admin/x");
    }

    @Test
    void pathParametersOnARoutesOwnSegmentAreMatchedWithoutThemAndForwardedAsSent() throws Exception {
        Map<String, Object> api = echo("/api;v=1/orders");
        assertThat(hostSeenBy(api)).isEqualTo(this.api.url());
        assertThat(api.get("uri")).isEqualTo("/api;v=1/orders");

        Map<String, Object> nested = echo("/api/admin;jsessionid=abc/users");
        assertThat(hostSeenBy(nested)).isEqualTo(admin.url());

        Map<String, Object> stripped = echo("/legacy;v=2/reports");
        assertThat(hostSeenBy(stripped)).isEqualTo(legacy.url());
        assertThat(stripped.get("uri")).as("the prefix's segment goes with its parameters").isEqualTo("/old-app/reports");

        Map<String, Object> encoded = echo("/api/a%3Bb/x");
        assertThat(encoded.get("uri")).as("an encoded ; is part of the name, not a parameter").isEqualTo("/api/a%3Bb/x");
        assertThat(gateway.get("/api%3Bv=1/orders").getStatus()).as("an encoded ; names another segment").isEqualTo(500);
    }

    @Test
    void pathWithoutRouteAnswers500AndReachesNoUpstream() throws Exception {
        ContentResponse response = gateway.get("/apiary");

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaders().get("Proxy-Status"))
                .isEqualTo(RunningGateway.NAME + "; error=destination_not_found");
        assertThat(response.getContentAsString()).contains("destination_not_found")
                .doesNotContain("at io.gatewise").doesNotContain(api.url().replaceAll(".*:", ""));
    }

    @Test
    void pathThatClimbsAboveTheRootIsRejected() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write("GET /api/../../etc/passwd HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void dotSegmentsHiddenBehindEncodingsStayRefused() throws Exception {
        for (String path : new String[] {"/api/%2e%2e/%2e%2e/etc/passwd", "/api/x%2F..%2F..%2F..%2Fadmin",
                "/api/..;/admin/x", "/api/..%3b/admin/x", "/api/%2e%2e%3b/admin/x", "/api/.%2e%3Bv=1/admin/x",
                "/api/%2E%2E;x/admin/x", "/legacy/..%3b/secret", "/legacy/x/.%3b/..%3B/..%3b/secret",
                "/api/x/.;/y"}) {
            try (RawClient client = RawClient.connect(gateway.port())) {
                String response = client.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n").readResponse();

                assertThat(response).as(path).startsWith("HTTP/1.1 400 ");
            }
        }
    }
}
