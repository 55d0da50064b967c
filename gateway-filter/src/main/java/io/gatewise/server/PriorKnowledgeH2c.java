package io.gatewise.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * HTTP/2 without TLS on the cleartext listener, with prior knowledge only: a client that opens
 * with HTTP/2's preface speaks HTTP/2; a request asking to switch with {@code Upgrade: h2c} is
 * served as the HTTP/1.1 request it is.
 *
 * <p>RFC 9113 deprecates that upgrade, and nginx never offered it. Clients that try it on their
 * own, such as the JDK's {@code HttpClient} (whose Java 17 version then fails every stream of a
 * connection that gets a GOAWAY, so a gateway stopping gracefully would cut its requests in
 * flight), keep HTTP/1.1; those that want h2c say so ({@code curl --http2-prior-knowledge}).
 */
final class PriorKnowledgeH2c extends HTTP2CServerConnectionFactory {
    PriorKnowledgeH2c(HttpConfiguration http) {
        super(http);
        // As on the TLS listener: WebSockets are upgraded over HTTP/1.1, not HTTP/2's CONNECT (RFC 8441).
        setConnectProtocolEnabled(false);
    }

    /** @return the HTTP/2 connection for the prior-knowledge preface ({@code PRI *}); null, so no switch, otherwise */
    @Override
    public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
            HttpFields.Mutable response101) {
        if (!HttpMethod.PRI.is(request.getMethod())) {
            return null;
        }
        return super.upgradeConnection(connector, endPoint, request, response101);
    }
}
