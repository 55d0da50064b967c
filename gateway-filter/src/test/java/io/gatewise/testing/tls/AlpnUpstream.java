package io.gatewise.testing.tls;

import io.gatewise.testing.EchoServlet;
import java.security.KeyStore;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
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
 * A real Jetty HTTPS server on a free port of 127.0.0.1 that negotiates its protocol by ALPN,
 * offering only the protocols it is given ({@code h2}, {@code http/1.1}), and answers every request
 * with {@link EchoServlet}, whose {@code protocol} says what was spoken.
 */
public final class AlpnUpstream implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector;

    private AlpnUpstream(KeyStore keyStore, String... protocols) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(TestCertificates.PASSWORD);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(protocols);
        alpn.setDefaultProtocol(protocols[protocols.length - 1]);
        ConnectionFactory[] factories = new ConnectionFactory[protocols.length + 2];
        factories[0] = new SslConnectionFactory(tls, alpn.getProtocol());
        factories[1] = alpn;
        for (int i = 0; i < protocols.length; i++) {
            factories[i + 2] = "h2".equals(protocols[i]) ? new HTTP2ServerConnectionFactory(http)
                    : new HttpConnectionFactory(http);
        }
        connector = new ServerConnector(server, factories);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        server.setHandler(context);
        server.start();
    }

    /**
     * @param keyStore its key store, such as {@link TestCertificates#serverKeyStore}
     * @param protocols what ALPN may choose, in the server's order of preference
     * @return the started upstream
     * @throws Exception if it cannot start
     */
    public static AlpnUpstream start(KeyStore keyStore, String... protocols) throws Exception {
        return new AlpnUpstream(keyStore, protocols);
    }

    /** @return {@code https://127.0.0.1:port} */
    public String url() {
        return "https://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
