package io.gatewise.testing.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS server on a free port of 127.0.0.1 that refuses every handshake with a fatal
 * {@code handshake_failure} alert (40), sent by the JDK's own TLS stack.
 *
 * <p>It offers only TLS 1.2 with the single cipher suite {@link #ONLY_CIPHER_SUITE}, which Jetty's
 * {@code SslContextFactory} excludes by default (it excludes every suite ending in {@code _SHA}).
 * A Jetty client therefore shares no cipher suite with it, and the server answers the ClientHello
 * with the alert instead of a ServerHello. The key store must hold an EC key, as the suite signs
 * with ECDSA; the ones from {@link TestCertificates} do.
 *
 * <p>Handshakes run one at a time on a single daemon thread, which is plenty for tests.
 */
public final class AlertingTlsUpstream implements AutoCloseable {
    /** The only cipher suite the server accepts. */
    public static final String ONLY_CIPHER_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    /** The only protocol the server accepts: TLS 1.3 has no suites of this kind. */
    public static final String ONLY_PROTOCOL = "TLSv1.2";

    /** How long a connection may take to send its ClientHello before the server gives up. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket serverSocket;
    private final SSLSocketFactory tls;
    private final List<IOException> handshakeFailures = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final SSLParameters enabled;

    private AlertingTlsUpstream(KeyStore keyStore) throws IOException, GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        // TLS is layered on each accepted plain socket, so the connection can outlive the failed
        // handshake: closing right after the alert could reset the client before it reads the alert.
        serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        tls = context.getSocketFactory();
        // Both throw IllegalArgumentException if this JDK does not support them, so a JDK that
        // dropped the suite fails here, loudly, rather than serving some other handshake.
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {ONLY_PROTOCOL});
        parameters.setCipherSuites(new String[] {ONLY_CIPHER_SUITE});
        enabled = parameters;
        acceptor = new Thread(this::acceptLoop, "alerting-tls-upstream-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param keyStore a key store with an EC key, password {@link TestCertificates#PASSWORD}, e.g.
     *     {@code TestCertificates.serverKeyStore(Leaf.VALID)}: a good certificate, so that the cipher
     *     suite is the only reason the handshake fails
     * @return the started upstream
     * @throws IOException if it cannot listen
     * @throws GeneralSecurityException if the key store cannot be used
     */
    public static AlertingTlsUpstream start(KeyStore keyStore) throws IOException, GeneralSecurityException {
        return new AlertingTlsUpstream(keyStore);
    }

    /** @return the port it listens on */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** @return {@code https://127.0.0.1:port} */
    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /**
     * @return why each handshake failed on the server's side, in order; a handshake that
     *     completed would leave no entry, so a test can tell the server really refused
     */
    public List<IOException> handshakeFailures() {
        return List.copyOf(handshakeFailures);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try (Socket accepted = serverSocket.accept()) {
                accepted.setSoTimeout(READ_TIMEOUT_MILLIS);
                SSLSocket socket = (SSLSocket) tls.createSocket(accepted, null, false);
                socket.setUseClientMode(false);
                socket.setSSLParameters(enabled);
                try {
                    // Fails on the ClientHello; the JDK sends the fatal alert before it throws.
                    socket.startHandshake();
                } catch (IOException e) {
                    handshakeFailures.add(e);
                }
                // The plain socket is still open: wait for the client to read the alert and close.
                accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // accept() fails once close() closes the server socket; the loop then ends.
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        serverSocket.close();
        acceptor.join(READ_TIMEOUT_MILLIS);
    }
}
