package io.gatewise.testing;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.tls.AlertingTlsUpstream;
import io.gatewise.testing.tls.AlpnUpstream;
import io.gatewise.testing.tls.TlsUpstream;
import jakarta.servlet.http.HttpServlet;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way tests start a gateway: real gateways on free ports of 127.0.0.1, and the loopback
 * upstreams they forward to, each stopped by the extension once the test is over.
 *
 * <p>Registered with {@code @RegisterExtension} on a field named {@code gateways}, a test reads:
 * <pre>{@code
 * SocketUpstream upstream = gateways.socketUpstream(Faults.garbage());
 * RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url()).build());
 * ContentResponse response = gateway.get("/api/users");
 * }</pre>
 *
 * <p>What a test (or a {@code @BeforeEach} method) starts is stopped after that test, newest first.
 * On a {@code static} field the extension also serves a {@code @BeforeAll} method: what that starts
 * is shared by the class's tests and stopped after the last one.
 */
public final class GatewayExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    private final Deque<AutoCloseable> perClass = new ArrayDeque<>();
    private final Deque<AutoCloseable> perTest = new ArrayDeque<>();
    private boolean registeredStatically;
    private boolean inTest;
    private Consumer<ServerConfig.Builder> settings = builder -> {
    };

    /** How the extension stops one thing it started. */
    @FunctionalInterface
    interface Stopper<T> {
        void stop(T started) throws Exception;
    }

    /**
     * @param settings adjusts the settings of every gateway this extension starts, before a
     *     builder's own {@link RunningGateway.Builder#settings}
     * @return this extension
     */
    public GatewayExtension settings(Consumer<ServerConfig.Builder> settings) {
        this.settings = settings;
        return this;
    }

    /** @return the settings every gateway of this extension starts with */
    Consumer<ServerConfig.Builder> settings() {
        return settings;
    }

    /** @return a builder for a gateway, which {@code start()} starts */
    public RunningGateway.Builder builder() {
        return new RunningGateway.Builder(this);
    }

    /**
     * Starts a gateway with these routes and the {@link RunningGateway.Builder} defaults: the page
     * that prints the failure attributes, a 30 s client idle timeout, the system clock and resolver.
     *
     * @param routes its routes
     * @return the running gateway
     * @throws Exception if it cannot start
     */
    public RunningGateway start(RouteConfig... routes) throws Exception {
        RunningGateway.Builder builder = builder();
        for (RouteConfig route : routes) {
            builder.route(route);
        }
        return builder.start();
    }

    /**
     * @param servlet serves every path
     * @return a started Jetty upstream
     * @throws Exception if it cannot start
     */
    public JettyUpstream jettyUpstream(HttpServlet servlet) throws Exception {
        return jettyUpstream(Map.of("/*", servlet));
    }

    /**
     * @param servlets servlets by path spec
     * @return a started Jetty upstream
     * @throws Exception if it cannot start
     */
    public JettyUpstream jettyUpstream(Map<String, HttpServlet> servlets) throws Exception {
        return closeAfterwards(JettyUpstream.start(servlets), JettyUpstream::close);
    }

    /**
     * @return a started alert receiver, recording what it gets
     * @throws Exception if it cannot start
     */
    public WebhookReceiver webhookReceiver() throws Exception {
        return WebhookReceiver.start(this);
    }

    /**
     * @return a started OTLP/HTTP trace receiver, recording what it gets
     * @throws Exception if it cannot start
     */
    public OtlpReceiver otlpReceiver() throws Exception {
        return OtlpReceiver.start(this);
    }

    /**
     * @param behavior what the upstream does with each connection, see {@code io.gatewise.faults.Faults}
     * @return a started socket upstream
     * @throws Exception if it cannot start
     */
    public SocketUpstream socketUpstream(SocketUpstream.Behavior behavior) throws Exception {
        return closeAfterwards(SocketUpstream.start(behavior), SocketUpstream::close);
    }

    /**
     * @return a started upstream whose connections never complete
     * @throws Exception if it cannot start
     */
    public BlackholeUpstream blackholeUpstream() throws Exception {
        return closeAfterwards(BlackholeUpstream.start(), BlackholeUpstream::close);
    }

    /**
     * @param keyStore its certificate and key, from {@link io.gatewise.testing.tls.TestCertificates}
     * @return a started TLS upstream
     * @throws Exception if it cannot start
     */
    public TlsUpstream tlsUpstream(KeyStore keyStore) throws Exception {
        return closeAfterwards(TlsUpstream.start(keyStore), TlsUpstream::close);
    }

    /**
     * @param keyStore its certificate and key, from {@link io.gatewise.testing.tls.TestCertificates}
     * @param protocols what its ALPN may choose, in its order of preference
     * @return a started TLS upstream that negotiates its protocol
     * @throws Exception if it cannot start
     */
    public AlpnUpstream alpnUpstream(KeyStore keyStore, String... protocols) throws Exception {
        return closeAfterwards(AlpnUpstream.start(keyStore, protocols), AlpnUpstream::close);
    }

    /**
     * @param keyStore an EC key and certificate, from {@link io.gatewise.testing.tls.TestCertificates}
     * @return a started TLS upstream that refuses every handshake with an alert
     * @throws Exception if it cannot start
     */
    public AlertingTlsUpstream alertingTlsUpstream(KeyStore keyStore) throws Exception {
        return closeAfterwards(AlertingTlsUpstream.start(keyStore), AlertingTlsUpstream::close);
    }

    /** Keeps something just started, to stop when its scope ends. */
    synchronized <T> T closeAfterwards(T started, Stopper<T> stopper) {
        (registeredStatically && !inTest ? perClass : perTest).push(() -> stopper.stop(started));
        return started;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        registeredStatically = true;
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        synchronized (this) {
            inTest = false;
        }
        stopAll(perTest);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopAll(perClass);
    }

    private void stopAll(Deque<AutoCloseable> started) throws Exception {
        Exception failure = null;
        for (AutoCloseable next = newest(started); next != null; next = newest(started)) {
            try {
                next.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized AutoCloseable newest(Deque<AutoCloseable> started) {
        return started.poll();
    }
}
