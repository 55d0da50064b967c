package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.demo.EchoUpstream;
import io.gatewise.deployment.LogCapture;
import io.gatewise.faults.ClosedPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, deployed into a Jetty 12 ee10 container as an operator would deploy it. */
class WarDeploymentIT {
    @TempDir
    Path dir;

    private Server container;

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("gatewise.config");
        if (container != null) {
            container.stop();
        }
    }

    private WebAppContext deploy() throws Exception {
        container = new Server();
        ServerConnector connector = new ServerConnector(container);
        connector.setHost("127.0.0.1");
        container.addConnector(connector);
        WebAppContext webapp = new WebAppContext(System.getProperty("gatewise.war", "target/gatewise.war"), "/gw");
        webapp.setTempDirectory(Files.createDirectories(dir.resolve("work")).toFile());
        container.setHandler(webapp);
        container.start();
        return webapp;
    }

    private int port() {
        return ((ServerConnector) container.getConnectors()[0]).getLocalPort();
    }

    @Test
    void systemPropertyPointsTheWarAtAnOperatorsConfig() throws Exception {
        EchoUpstream upstream = EchoUpstream.start();
        try {
            Path config = Files.writeString(dir.resolve("gateway.yaml"), "gateway: { name: edge-war }\nroutes:\n"
                    + "  - path: /api/\n    upstreams: [ { url: 'http://127.0.0.1:" + upstream.port() + "' } ]\n"
                    + "  - path: /down/\n    upstreams: [ { url: 'http://127.0.0.1:" + ClosedPort.find() + "' } ]\n");
            System.setProperty("gatewise.config", config.toString());
            deploy();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + "/gw/api/items?page=2")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("GET /api/items?page=2 HTTP/1.1").contains("Via: 1.1 edge-war");
            HttpResponse<String> failed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + "/gw/down/x")).header("Accept-Language", "zh-CN")
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(failed.headers().firstValue("Proxy-Status")).get().asString()
                    .isEqualTo("edge-war; error=connection_refused");
            assertThat(failed.body()).as("the WAR's error page is the gateway's").startsWith("502 服务暂时没有响应");
        } finally {
            upstream.close();
        }
    }

    @Test
    void withoutOverrideTheWarStartsWithItsPackagedSampleConfig() throws Exception {
        WebAppContext webapp = deploy();

        assertThat(webapp.isAvailable()).isTrue();
        assertThat(webapp.getServletHandler().getServlet("gatewise").isAvailable()).isTrue();
    }

    @Test
    void aBrokenConfigFailsTheDeploymentWithTheReasonLoggedAtSevere() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "routes: []\n");
        System.setProperty("gatewise.config", bad.toString());
        LogCapture startup = LogCapture.of("io.gatewise.runtime.GatewayStartup");
        try {
            WebAppContext webapp = deploy();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + "/gw/api/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(webapp.isAvailable()).as("the deployment failed").isFalse();
            assertThat(response.statusCode()).as("nothing is served, nothing reaches an upstream").isEqualTo(503);
            assertThat(startup.records()).anySatisfy(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).contains(bad + ":1:1: routes: missing (expected: at least one route"
                        + " with a path and upstreams)");
            });
        } finally {
            startup.close();
        }
    }
}
