package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.server.GatewayServer;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.JettyUpstream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which upstream a request reaches, through a real gateway with several routes. */
class RoutingTest {
    private JettyUpstream api;
    private JettyUpstream admin;
    private JettyUpstream legacy;
    private GatewayServer gateway;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        api = JettyUpstream.start(Map.of("/*", new EchoServlet()));
        admin = JettyUpstream.start(Map.of("/*", new EchoServlet()));
        legacy = JettyUpstream.start(Map.of("/*", new EchoServlet()));
        gateway = ProxyForwardingTest.startGateway(GatewayConfig.builder()
                .route(RouteConfig.builder().path("/api/").upstream(api.url()).build())
                .route(RouteConfig.builder().path("/api/admin/").upstream(admin.url()).build())
                .route(RouteConfig.builder().path("/legacy/").stripPrefix(true).upstream(legacy.url() + "/old-app")
                        .build())
                .build());
        client = new HttpClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        gateway.stop();
        api.close();
        admin.close();
        legacy.close();
    }

    private Map<String, Object> echo(String pathAndQuery) throws Exception {
        ContentResponse response = client.GET("http://127.0.0.1:" + gateway.port() + pathAndQuery);
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
    void pathWithoutRouteAnswers500AndReachesNoUpstream() throws Exception {
        ContentResponse response = client.GET("http://127.0.0.1:" + gateway.port() + "/apiary");

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaders().get("Proxy-Status")).isEqualTo("gatewise; error=destination_not_found");
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
}
