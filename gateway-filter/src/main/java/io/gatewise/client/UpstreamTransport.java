package io.gatewise.client;

import io.gatewise.config.UpstreamProtocol;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;

/**
 * How the gateway speaks to upstreams: one client transport for HTTP/1.1 and HTTP/2, the version
 * of each request chosen by its route's {@code protocol}.
 *
 * <p>A request whose version is left open ({@code auto}) goes out as HTTP/1.1 in cleartext and
 * lets ALPN choose over TLS, offering {@code http/1.1} and {@code h2}. A request of an explicit
 * version asks for exactly that: {@code h2c} with prior knowledge in cleartext (nothing is
 * negotiated there), only {@code h2} or only {@code http/1.1} in the TLS handshake. Jetty keeps
 * connections of each protocol apart, so routes of different protocols to one upstream share the
 * client without sharing connections; over HTTP/2 an upstream's connection limit bounds
 * connections, each carrying as many streams as the upstream allows.
 */
public final class UpstreamTransport {
    private UpstreamTransport() {
    }

    /**
     * @param connector the client connector
     * @return a client speaking HTTP/1.1 by default and HTTP/2 when a request asks for it
     */
    public static HttpClient newClient(ClientConnector connector) {
        // HTTP/1.1 first: the protocol of a cleartext request of no explicit version.
        return new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
    }

    /**
     * Sets the request's version as the route's protocol asks.
     *
     * @param request a request to an upstream, not sent
     * @param protocol the route's protocol
     * @return the request
     */
    public static Request version(Request request, UpstreamProtocol protocol) {
        return switch (protocol) {
            case AUTO -> request;
            case HTTP1 -> request.version(HttpVersion.HTTP_1_1);
            case H2 -> request.version(HttpVersion.HTTP_2);
        };
    }
}
