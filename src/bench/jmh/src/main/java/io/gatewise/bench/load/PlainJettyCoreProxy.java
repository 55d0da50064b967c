package io.gatewise.bench.load;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;

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
        PlainJettyProxy.Arguments arguments = PlainJettyProxy.Arguments.of(PlainJettyCoreProxy.class, args);
        String[] upstreams = arguments.upstreams();
        arguments.serve("ProxyHandler", new ProxyHandler.Reverse(request -> rewrite(request, upstreams)) {
            @Override
            protected HttpClient newHttpClient() {
                HttpClient client = super.newHttpClient();
                client.setConnectTimeout(arguments.connectTimeout());
                return client;
            }
        });
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
