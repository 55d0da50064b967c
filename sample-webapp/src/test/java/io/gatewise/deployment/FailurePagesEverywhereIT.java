package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.server.GatewayServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed request gets the gateway's own page, in every format and for every method, wherever
 * the gateway runs: standalone, installed into an application's servlet context, and the built
 * WAR in Jetty and in Tomcat. None of them depends on the container's error pages.
 */
class FailurePagesEverywhereIT {
    private static final String FAILING_ROUTE = "  - path: /down/\n    upstreams: [ { url: 'http://127.0.0.1:%d' } ]\n";

    @TempDir
    Path dir;

    private AutoCloseable running;
    /** What the WAR's failure log wrote: it logs through java.util.logging, which the containers' logs take. */
    private LogCapture warFailureLog;

    @BeforeEach
    void listenToTheWarsFailureLog() {
        warFailureLog = LogCapture.of("io.gatewise.failure");
    }

    @AfterEach
    void stop() throws Exception {
        warFailureLog.close();
        System.clearProperty("gatewise.config");
        if (running != null) {
            running.close();
        }
    }

    private static GatewayConfig config(String name) throws IOException {
        return GatewayConfig.builder().gateway(ServerConfig.builder().name(name).build())
                .route(RouteConfig.builder().path("/down/").upstream("http://127.0.0.1:" + ClosedPort.find()).build())
                .build();
    }

    @Test
    void standaloneServer() throws Exception {
        GatewayServer server = GatewayServer.builder(config("edge-standalone")).host("127.0.0.1").port(0).build()
                .start();
        running = server::stop;

        FailureAnswers.assertGatewayPagesForEveryMethodAndFormat(server.uri().resolve("/down/x"), "edge-standalone");
    }

    @Test
    void installedIntoAnApplicationsServletContext() throws Exception {
        ServletContextHandler own = new ServletContextHandler("/app");
        own.addServlet(Hello.class, "/hello");
        GatewayServer.install(own, "/backend/*", config("edge-installed"));
        Containers.Running app = Containers.jetty(own);
        running = app;

        FailureAnswers.assertGatewayPagesForEveryMethodAndFormat(
                URI.create("http://127.0.0.1:" + app.port() + "/app/backend/down/x"), "edge-installed");
    }

    @Test
    void warInJetty() throws Exception {
        pointTheWarAtAFailingRoute("edge-war-jetty");
        WebAppContext webapp = new WebAppContext(war(), "/gw");
        webapp.setTempDirectory(Files.createDirectories(dir.resolve("work")).toFile());
        Containers.Running jetty = Containers.jetty(webapp);
        running = jetty;

        FailureAnswers.assertGatewayPagesForEveryMethodAndFormat(
                URI.create("http://127.0.0.1:" + jetty.port() + "/gw/down/x"), "edge-war-jetty");
        assertFailuresLogged();
    }

    @Test
    void warInTomcat() throws Exception {
        pointTheWarAtAFailingRoute("edge-war-tomcat");
        Containers.Running tomcat = Containers.tomcat(dir.resolve("tomcat"), "/gw", Path.of(war()));
        running = tomcat;

        FailureAnswers.assertGatewayPagesForEveryMethodAndFormat(
                URI.create("http://127.0.0.1:" + tomcat.port() + "/gw/down/x"), "edge-war-tomcat");
        assertFailuresLogged();
    }

    /** Every failure answered above was logged once by the WAR, through the container's logging. */
    private void assertFailuresLogged() {
        assertThat(warFailureLog.records()).extracting(record -> record.getLevel() + " " + record.getMessage())
                .hasSize(FailureAnswers.METHODS.size() * FailureAnswers.Format.values().length)
                .allSatisfy(line -> assertThat(line).startsWith("WARNING incident=")
                        .contains(" type=connection_refused status=502 ", " route=/down/ "));
    }

    private void pointTheWarAtAFailingRoute(String name) throws IOException {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "gateway: { name: " + name + " }\nroutes:\n"
                + String.format(FAILING_ROUTE, ClosedPort.find()));
        System.setProperty("gatewise.config", config.toString());
    }

    static String war() {
        return System.getProperty("gatewise.war", "target/gatewise.war");
    }

    /** An application's own servlet beside the gateway. */
    public static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("hello");
        }
    }
}
