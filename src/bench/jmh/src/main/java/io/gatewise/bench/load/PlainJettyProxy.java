package io.gatewise.bench.load;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The baseline the load harness compares Gatewise with: Jetty's own {@code ProxyServlet}, as a
 * user would set it up in a few lines, on the same Jetty version, routing the same three prefixes.
 * Only the connect timeout is set, to the value every proxy in the comparison uses.
 *
 * <p>Usage: {@code PlainJettyProxy PORT OK_PORT REFUSED_PORT BLACKHOLE_PORT CONNECT_TIMEOUT_MS}
 */
public final class PlainJettyProxy {
    private PlainJettyProxy() {
    }

    /**
     * @param args port, the three upstream ports (/ok/, /refused/, /blackhole/), connect timeout in ms
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.of(PlainJettyProxy.class, args);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new PrefixProxy(arguments.upstreams(), arguments.connectTimeout())),
                "/*");
        arguments.serve("ProxyServlet", context);
    }

    /**
     * The command line both plain Jetty proxies take, and the server they run on it.
     *
     * @param port where to listen on 127.0.0.1
     * @param upstreams the upstream ports of /ok/, /refused/ and /blackhole/
     * @param connectTimeout the connect timeout in ms
     */
    record Arguments(int port, String[] upstreams, long connectTimeout) {
        static Arguments of(Class<?> main, String[] args) {
            if (args.length != 5) {
                System.err.println("usage: " + main.getSimpleName()
                        + " PORT OK_PORT REFUSED_PORT BLACKHOLE_PORT CONNECT_TIMEOUT_MS");
                System.exit(2);
            }
            return new Arguments(Integer.parseInt(args[0]), new String[] {args[1], args[2], args[3]},
                    Long.parseLong(args[4]));
        }

        /**
         * Serves the handler on 127.0.0.1 with Jetty's default thread pool size until the process
         * ends: HTTP/1.1, and h2c with prior knowledge on the same port (the h2 scenario), as
         * Jetty's documentation sets up a cleartext connector for both.
         */
        void serve(String what, Handler handler) throws Exception {
            Server server = new Server(new QueuedThreadPool(200));
            HttpConfiguration http = new HttpConfiguration();
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
                    new HTTP2CServerConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
            server.setHandler(handler);
            server.start();
            System.out.println("plain Jetty " + what + " on 127.0.0.1:" + connector.getLocalPort());
            server.join();
        }
    }

    /** Sends /ok/, /refused/ and /blackhole/ to their upstream, path unchanged. */
    private static final class PrefixProxy extends ProxyServlet {
        private static final long serialVersionUID = 1L;
        private static final String[] PREFIXES = {"/ok/", "/refused/", "/blackhole/"};
        private final String[] upstreams;
        private final long connectTimeout;

        PrefixProxy(String[] upstreams, long connectTimeout) {
            this.upstreams = upstreams;
            this.connectTimeout = connectTimeout;
        }

        @Override
        protected HttpClient newHttpClient() {
            HttpClient client = super.newHttpClient();
            client.setConnectTimeout(connectTimeout);
            return client;
        }

        @Override
        protected String rewriteTarget(HttpServletRequest request) {
            String uri = request.getRequestURI();
            for (int i = 0; i < PREFIXES.length; i++) {
                if (uri.startsWith(PREFIXES[i])) {
                    String query = request.getQueryString();
                    return "http://127.0.0.1:" + upstreams[i] + uri + (query == null ? "" : "?" + query);
                }
            }
            return null;
        }
    }
}
