package io.gatewise.example;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.server.GatewayServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An existing Jetty 12 application with a servlet of its own, adding the gateway both ways. */
public final class ShopApplication {
    public static void main(String[] args) throws Exception {
        start("127.0.0.1", 8080, "http://127.0.0.1:9001").join();
    }

    /** Starts the shop; port 0 takes a free port. */
    public static Server start(String host, int port, String ordersUpstream) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        // The application as it was: its own context and servlet.
        ServletContextHandler shop = new ServletContextHandler("/shop");
        shop.addServlet(Catalog.class, "/catalog");
        server.setHandler(shop);

        GatewayConfig config = GatewayConfig.builder()
                .gateway(ServerConfig.builder().name("shop-edge").build())
                .route(RouteConfig.builder().path("/orders/").upstream(ordersUpstream).build())
                .build();
        // Either: a servlet in the application's context, under /shop/backend/...
        GatewayServer.install(shop, "/backend/*", config);
        // Or: a context of its own in the same server, under /gateway/...
        GatewayServer.addTo(server, "/gateway", config);

        server.start();
        return server;
    }

    /** The application's own servlet. */
    public static final class Catalog extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().print("catalog: 3 items");
        }
    }
}
