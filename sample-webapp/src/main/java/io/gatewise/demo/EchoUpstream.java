package io.gatewise.demo;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The demo's healthy upstream: a Jetty server on a free loopback port running {@link EchoServlet},
 * {@link GrpcEchoServlet} for gRPC over h2c, and the live page ({@link LivePageServlet}) with its
 * WebSocket echo ({@link LiveEchoEndpoint}).
 */
public final class EchoUpstream implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private EchoUpstream() throws Exception {
        server = new Server();
        // Like the gateway, it takes an encoded slash as data, so the demo can show one passing through.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.DEFAULT.with("demo", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        // HTTP/1.1 and h2c with prior knowledge: the demo's gRPC route speaks h2c to it.
        connector = new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(EchoServlet.class, "/*");
        context.addServlet(GrpcEchoServlet.class, GrpcEchoServlet.SERVICE + "*");
        context.addServlet(LivePageServlet.class, "/live/");
        // WebSocket upgrades to the live echo, on Jetty's own API; every other request goes on to the servlets.
        context.insertHandler(WebSocketUpgradeHandler.from(server, context, container -> container
                .addMapping(LiveEchoEndpoint.PATH, (request, response, callback) -> new LiveEchoEndpoint())));
        server.setHandler(context);
        server.start();
    }

    /**
     * @return a started echo upstream
     * @throws Exception if it cannot start
     */
    public static EchoUpstream start() throws Exception {
        return new EchoUpstream();
    }

    /** @return its port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
