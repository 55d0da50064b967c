package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.proxy.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin action leaves one audit line: who, what, the result; what a client sent cannot
 * forge a second line. The servlet is served by a plain Jetty server here, with its audit lines
 * collected instead of logged.
 */
class AdminAuditTest {
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        AdminConfig admin = AdminConfig.builder().port(0).token(AdminApiTest.TOKEN).build();
        gateway = Gateway.builder(GatewayConfig.builder().route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:9").build()).admin(admin).build()).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new AdminServlet(gateway, admin, Clock.systemUTC(), audit::add)), "/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private int post(String path, String body) throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + AdminApiTest.TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void anActionIsAuditedWithWhoWhatAndTheResult() throws Exception {
        assertThat(post("/admin/maintenance", "{\"route\":\"/api/\",\"enabled\":true}")).isEqualTo(200);

        assertThat(audit).containsExactly(
                "admin action=maintenance client=127.0.0.1 result=success {route=/api/, maintenance=true}");
        assertThat(gateway.route("/api/").orElseThrow().inMaintenance()).isTrue();
    }

    @Test
    void aRefusedActionIsAuditedToo() throws Exception {
        assertThat(post("/admin/drain", "{\"route\":\"/api/\",\"upstream\":\"http://127.0.0.1:1\",\"enabled\":true}"))
                .isEqualTo(404);

        assertThat(audit).singleElement().asString().startsWith("admin action=drain client=127.0.0.1 result=not_found"
                + " route /api/ has no upstream http://127.0.0.1:1");
    }

    @Test
    void whatAClientSendsCannotForgeAnotherAuditLine() throws Exception {
        post("/admin/maintenance", "{\"route\":\"/x\\nadmin action=config_reload result=success\",\"enabled\":true}");

        assertThat(audit).singleElement().asString().doesNotContain("\n").contains("no route /x?admin action=");
    }

    @Test
    void theTestAlertActionIsAuditedEvenWithoutWebhooks() throws Exception {
        assertThat(post("/admin/alerts/test", "")).isEqualTo(422);

        assertThat(audit).containsExactly("admin action=alerts_test client=127.0.0.1 result=failure no webhook to"
                + " test (expected: alerts.webhooks in the configuration)");
    }
}
