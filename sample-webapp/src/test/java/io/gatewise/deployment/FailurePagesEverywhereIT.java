package io.gatewise.deployment;

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
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed request gets the gateway's own page, in every format and for every method, wherever
 * the gateway runs: standalone and installed into an application's servlet context here; the
 * built WAR in the Jetty and Tomcat distributions in {@link GatewayWarInContainerIT}. None of them
 * depends on the container's error pages.
 */
class FailurePagesEverywhereIT {
    private AutoCloseable running;

    @AfterEach
    void stop() throws Exception {
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

    /** An application's own servlet beside the gateway. */
    public static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("hello");
        }
    }
}
