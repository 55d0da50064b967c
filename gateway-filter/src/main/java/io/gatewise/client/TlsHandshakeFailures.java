package io.gatewise.client;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * Remembers why each failed TLS handshake with an upstream failed, for the exchange that failed
 * with it. When an upstream ends the handshake with an alert, Jetty's client sometimes reports
 * its own failed write on the dying connection ({@code EofException}) to the request before the
 * alert it read (about one exchange in 100 on loopback): the request's failure then says the
 * connection closed, and only the handshake listener heard the alert.
 *
 * <p>A bean of each upstream client. Entries are keyed by the connection's {@link SSLEngine} and
 * held weakly: a connection nobody asks about leaves nothing behind.
 */
public final class TlsHandshakeFailures implements SslHandshakeListener {
    private final Map<SSLEngine, Throwable> failures = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        failures.put(event.getSSLEngine(), failure);
    }

    /**
     * @param request a request that failed, or null
     * @return why the TLS handshake of its connection failed, once; empty when it had none, or
     *     it succeeded, or the request never had a TLS connection
     */
    public Optional<Throwable> take(Request request) {
        Connection connection = request == null ? null : request.getConnection();
        if (!(connection instanceof org.eclipse.jetty.io.Connection io)) {
            return Optional.empty();
        }
        EndPoint endPoint = io.getEndPoint();
        if (!(endPoint instanceof SslConnection.SslEndPoint tls)) {
            return Optional.empty();
        }
        return Optional.ofNullable(failures.remove(tls.getSslConnection().getSSLEngine()));
    }
}
