package io.gatewise.server;

import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.observe.ListenerCertificates;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The standalone server's TLS listener ({@code gateway.tls}): TLS with the configured versions,
 * then HTTP/2 chosen by ALPN (with {@code gateway.http2}) or HTTP/1.1, on a connector named
 * {@value #NAME} that serves the same routes as the cleartext one. Its certificates come from PEM
 * files and are read again when the files change ({@link CertificateReloader}).
 *
 * <p>Requests over it are marked secure ({@code https}). Jetty's SNI host check is off: a request
 * whose {@code Host} is not a name of the certificate the client's SNI picked is served like any
 * other, as nginx and most proxies do, since the gateway routes by path and a client that accepted
 * the certificate has made its own check.
 */
final class TlsListener {
    /** The connector's name, and the {@code listener} label of its certificates' meter. */
    static final String NAME = "tls";

    private final ServerConnector connector;

    /**
     * Makes the listener and adds it to the server, its certificates read and checked.
     *
     * @param server the server
     * @param http the cleartext listener's HTTP settings; the TLS listener takes a copy
     * @param tls the listener's settings
     * @param host the address to bind, null for all
     * @param port the port, 0 for a free one
     * @param http2 whether HTTP/2 is offered by ALPN
     * @param published where the served certificates are published
     * @throws io.gatewise.config.ConfigException if a certificate pair cannot be served
     */
    TlsListener(Server server, HttpConfiguration http, ListenerTlsConfig tls, String host, int port, boolean http2,
            ListenerCertificates published) {
        SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
        sslContextFactory.setIncludeProtocols(tls.protocols().toArray(new String[0]));
        CertificateReloader certificates = new CertificateReloader(NAME, tls.certificates(), sslContextFactory,
                published);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        List<ConnectionFactory> factories = new ArrayList<>();
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        if (http2) {
            // HTTP/2 forbids the weaker TLS 1.2 ciphers: order them last, so a client that has better gets those.
            sslContextFactory.setCipherComparator(HTTP2Cipher.COMPARATOR);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            // A client that sends no ALPN speaks HTTP/1.1.
            alpn.setDefaultProtocol(http11.getProtocol());
            factories.add(new SslConnectionFactory(sslContextFactory, alpn.getProtocol()));
            factories.add(alpn);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
            // The proxy upgrades WebSockets over HTTP/1.1 only: not offering RFC 8441's CONNECT over
            // HTTP/2 keeps a browser's WebSocket on an HTTP/1.1 connection of its own.
            h2.setConnectProtocolEnabled(false);
            factories.add(h2);
        } else {
            factories.add(new SslConnectionFactory(sslContextFactory, HttpVersion.HTTP_1_1.asString()));
        }
        factories.add(http11);
        this.connector = new ServerConnector(server, factories.toArray(new ConnectionFactory[0]));
        connector.setName(NAME);
        connector.setHost(host);
        connector.setPort(port);
        // After the factories, so the SSL context is up before a reload can reach it; stops first.
        connector.addBean(certificates);
        server.addConnector(connector);
    }

    /** @return the connector */
    ServerConnector connector() {
        return connector;
    }
}
