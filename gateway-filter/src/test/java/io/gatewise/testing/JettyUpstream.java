package io.gatewise.testing;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty server on a free port of 127.0.0.1, serving the servlets a test gives it, with
 * async support; it counts the connections it accepts. {@link GatewayExtension#jettyUpstream}
 * starts one and stops it after the test.
 */
public final class JettyUpstream implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ConnectionStatistics connections = new ConnectionStatistics();

    private JettyUpstream(Map<String, HttpServlet> servlets) throws Exception {
        server = new Server();
        // HTTP/1.1, and h2c with prior knowledge on the same port, as routes of protocol h2 speak it.
        connector = new ServerConnector(server, new HttpConnectionFactory(), new HTTP2CServerConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addBean(connections);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        servlets.forEach((pathSpec, servlet) -> {
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, pathSpec);
        });
        server.setHandler(context);
        server.start();
    }

    /**
     * @param servlets servlets by path spec
     * @return the started upstream
     * @throws Exception if it cannot start
     */
    static JettyUpstream start(Map<String, HttpServlet> servlets) throws Exception {
        return new JettyUpstream(servlets);
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** @return how many connections it has accepted so far */
    public long connectionsAccepted() {
        return connections.getConnectionsTotal();
    }

    /** @return whether it still serves: started and not stopped */
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
