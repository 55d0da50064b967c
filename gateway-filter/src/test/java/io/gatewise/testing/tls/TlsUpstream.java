package io.gatewise.testing.tls;

import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real Jetty HTTPS server (HTTP/1.1 over TLS) on a free port of 127.0.0.1, presenting the
 * certificate in the key store it is given. Every request gets 200 and {@link #BODY}.
 *
 * <p>With a broken certificate from {@link TestCertificates} the handshake fails in the client,
 * so {@link #handledRequests()} stays 0: the failure happened before any HTTP was exchanged.
 */
public final class TlsUpstream implements AutoCloseable {
    /** What the server answers to every request, as {@code text/plain; charset=UTF-8}. */
    public static final String BODY = "hello over tls";

    private final Server server;
    private final ServerConnector connector;
    private final AtomicInteger handledRequests = new AtomicInteger();

    private TlsUpstream(KeyStore keyStore) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(TestCertificates.PASSWORD);

        HttpConfiguration http = new HttpConfiguration();
        // Marks requests as secure. Its SNI host check would answer 400 to any request whose Host is
        // not a name in the certificate, which would hide the wrong-host certificate behind an
        // HTTP error from a client that skips host name verification; this server must serve it.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);

        server = new Server();
        connector = new ServerConnector(server,
                new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                handledRequests.incrementAndGet();
                response.setStatus(HttpStatus.OK_200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
                Content.Sink.write(response, true, BODY, callback);
                return true;
            }
        });
        server.start();
    }

    /**
     * @param keyStore the server's key store, password {@link TestCertificates#PASSWORD}, e.g.
     *     from {@link TestCertificates#serverKeyStore(TestCertificates.Leaf)}
     * @return the started upstream
     * @throws Exception if it cannot start
     */
    public static TlsUpstream start(KeyStore keyStore) throws Exception {
        return new TlsUpstream(keyStore);
    }

    /** @return the port it listens on */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code https://127.0.0.1:port} */
    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /** @return how many HTTP requests reached the handler, that is, came through a completed handshake */
    public int handledRequests() {
        return handledRequests.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
