package io.gatewise.admin;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.runtime.Gateway;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The admin servlet of a gateway with one route, {@code /api/}, served by a plain Jetty server on
 * 127.0.0.1 and port 0, its audit lines collected instead of logged.
 */
final class AuditedAdmin implements AutoCloseable {
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private final Gateway gateway;
    private final Server server = new Server();
    private final int port;

    private AuditedAdmin() throws Exception {
        AdminConfig admin = AdminConfig.builder().port(0).token(AdminApiTest.TOKEN).build();
        gateway = Gateway.builder(GatewayConfig.builder().route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:9").build()).admin(admin).build()).build();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new AdminServlet(gateway, admin, Clock.systemUTC(), audit::add)), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    /** @return the admin servlet, served */
    static AuditedAdmin start() throws Exception {
        return new AuditedAdmin();
    }

    /** @return the audit lines written so far */
    List<String> audit() {
        return audit;
    }

    /** @return the gateway the servlet acts on */
    Gateway gateway() {
        return gateway;
    }

    /** @return the server's port on 127.0.0.1 */
    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
