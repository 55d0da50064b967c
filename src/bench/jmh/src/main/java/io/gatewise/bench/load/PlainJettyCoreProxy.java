package io.gatewise.bench.load;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling the load harness shows beside Gatewise: Jetty's core reverse proxy,
 * {@code ProxyHandler.Reverse}, a Handler with no servlet layer, on the same Jetty version as
 * Gatewise and routing the same three prefixes as {@link PlainJettyProxy}. Only the connect
 * timeout is set, to the value every proxy in the comparison uses.
 *
 * <p>Usage: {@code PlainJettyCoreProxy PORT OK_PORT REFUSED_PORT BLACKHOLE_PORT CONNECT_TIMEOUT_MS}
 */
public final class PlainJettyCoreProxy {
    private static final String[] PREFIXES = {"/ok/", "/refused/", "/blackhole/"};

    private PlainJettyCoreProxy() {
    }

    /**
     * @param args port, the three upstream ports (/ok/, /refused/, /blackhole/), connect timeout in ms
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PlainJettyCoreProxy PORT OK_PORT REFUSED_PORT BLACKHOLE_PORT CONNECT_TIMEOUT_MS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String[] upstreams = {args[1], args[2], args[3]};
        long connectTimeout = Long.parseLong(args[4]);

        Server server = new Server(new QueuedThreadPool(200));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ProxyHandler.Reverse proxy = new ProxyHandler.Reverse(request -> rewrite(request, upstreams)) {
            @Override
            protected HttpClient newHttpClient() {
                HttpClient client = super.newHttpClient();
                client.setConnectTimeout(connectTimeout);
                return client;
            }
        };
        server.setHandler(proxy);
        server.start();
        System.out.println("plain Jetty ProxyHandler on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }

    private static HttpURI rewrite(Request request, String[] upstreams) {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        for (int i = 0; i < PREFIXES.length; i++) {
            if (path.startsWith(PREFIXES[i])) {
                return HttpURI.build(uri).scheme("http").host("127.0.0.1").port(Integer.parseInt(upstreams[i]));
            }
        }
        // No route: Jetty's reverse proxy has no "not found"; an unknown prefix goes to the first.
        return HttpURI.build(uri).scheme("http").host("127.0.0.1").port(Integer.parseInt(upstreams[0]));
    }
}
