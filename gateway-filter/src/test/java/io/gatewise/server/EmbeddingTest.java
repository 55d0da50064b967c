package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.WebSocketRecorder;
import io.gatewise.testing.WebSocketUpstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway added to an application's own Jetty server, the way docs/getting-started.md shows it, and started on
 * its own. How applications start the gateway is what this class tests, so it calls
 * {@link GatewayServer} itself; other tests start gateways with {@link GatewayExtension}.
 */
class EmbeddingTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private JettyUpstream upstream;
    private Server app;
    private HttpClient client;
    private GatewayConfig config;

    @BeforeEach
    void start() throws Exception {
        upstream = gateways.jettyUpstream(new EchoServlet());
        config = GatewayConfig.builder().route(RouteConfig.builder().path("/api/").upstream(upstream.url()).build())
                .build();
        app = new Server();
        ServerConnector connector = new ServerConnector(app);
        connector.setHost("127.0.0.1");
        app.addConnector(connector);
        client = new HttpClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        app.stop();
    }

    private ContentResponse get(String path) throws Exception {
        return client.GET("http://127.0.0.1:" + ((ServerConnector) app.getConnectors()[0]).getLocalPort() + path);
    }

    @Test
    void addToAnExistingServerKeepsTheApplicationsOwnHandler() throws Exception {
        ServletContextHandler own = new ServletContextHandler("/");
        own.addServlet(new HelloServlet(), "/hello");
        app.setHandler(own);

        GatewayServer.addTo(app, "/gateway", config);
        app.start();

        assertThat(get("/hello").getContentAsString()).isEqualTo("hello from the app");
        ContentResponse proxied = get("/gateway/api/users?x=1");
        assertThat(proxied.getStatus()).isEqualTo(200);
        Map<String, Object> echo = EchoServlet.parse(proxied.getContentAsString());
        assertThat(echo.get("uri")).isEqualTo("/api/users");
        assertThat(echo.get("query")).isEqualTo("x=1");
    }

    @Test
    void installIntoAnExistingContextUnderAServletPath() throws Exception {
        ServletContextHandler own = new ServletContextHandler("/shop");
        own.addServlet(new HelloServlet(), "/hello");
        GatewayServer.install(own, "/backend/*", config);
        app.setHandler(own);
        app.start();

        assertThat(get("/shop/hello").getContentAsString()).isEqualTo("hello from the app");
        Map<String, Object> echo = EchoServlet.parse(get("/shop/backend/api/orders/9").getContentAsString());
        assertThat(echo.get("uri")).isEqualTo("/api/orders/9");
    }

    @Test
    void installedIntoAnApplicationsContextTheGatewayProxiesWebSockets() throws Exception {
        try (WebSocketUpstream live = WebSocketUpstream.start()) {
            GatewayConfig withLive = GatewayConfig.builder().route(RouteConfig.builder().path("/live/")
                    .upstream(live.url()).build()).build();
            ServletContextHandler own = new ServletContextHandler("/shop");
            GatewayServer.install(own, "/backend/*", withLive);
            app.setHandler(own);
            app.start();
            WebSocketClient webSockets = new WebSocketClient();
            webSockets.start();
            try {
                WebSocketRecorder recorder = new WebSocketRecorder();
                Session session = webSockets.connect(recorder, URI.create("ws://127.0.0.1:"
                        + ((ServerConnector) app.getConnectors()[0]).getLocalPort() + "/shop/backend/live/feed"))
                        .get(WebSocketRecorder.WAIT_SECONDS, TimeUnit.SECONDS);
                session.sendText("through the shop", Callback.NOOP);

                assertThat(recorder.nextText()).isEqualTo("through the shop");
                assertThat(own.getServletHandler().getFilters()).as("no upgrade filter looks at every request")
                        .extracting(FilterHolder::getClassName).noneMatch(name -> name.contains("WebSocket"));
            } finally {
                webSockets.stop();
            }
        }
    }

    @Test
    void addToAServerThatIsAlreadyRunning() throws Exception {
        app.setHandler(new ContextHandlerCollection());
        app.start();

        GatewayServer.addTo(app, "/gateway", config);

        assertThat(EchoServlet.parse(get("/gateway/api/live").getContentAsString()).get("uri")).isEqualTo("/api/live");
    }

    @Test
    void addToARunningServerWithoutACollectionSaysWhatToDo() throws Exception {
        app.start();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayServer.addTo(app, "/gateway", config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add the gateway before starting it");
    }

    @Test
    void standaloneServerListensOnTheConfiguredHostAndAFreePort() throws Exception {
        GatewayServer gateway = GatewayServer.builder(config).host("127.0.0.1").port(0).build().start();
        try {
            assertThat(gateway.port()).isPositive();
            assertThat(gateway.uri().toString()).isEqualTo("http://127.0.0.1:" + gateway.port() + "/");
            ContentResponse response = client.GET(gateway.uri().resolve("/api/ping"));
            assertThat(response.getStatus()).isEqualTo(200);
            ContentResponse unrouted = client.GET(gateway.uri().resolve("/nowhere"));
            assertThat(unrouted.getStatus()).isEqualTo(500);
            assertThat(unrouted.getHeaders().get("Proxy-Status")).as("the default name")
                    .isEqualTo("gatewise; error=destination_not_found");
            assertThat(unrouted.getHeaders().get("Server")).as("the gateway does not advertise its software").isNull();
        } finally {
            gateway.stop();
        }
    }

    /** The application's own servlet, which the gateway must leave alone. */
    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("hello from the app");
        }
    }
}
