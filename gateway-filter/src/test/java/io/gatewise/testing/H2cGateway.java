package io.gatewise.testing;

import io.gatewise.config.GatewayConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.server.GatewayServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/**
 * A standalone gateway on a free port of 127.0.0.1, whose cleartext listener speaks HTTP/1.1 and
 * h2c with prior knowledge ({@code gateway.http2}, on by default); with a client that speaks h2c to
 * it, and the failure events it reports.
 */
public final class H2cGateway implements AutoCloseable {
    private final GatewayServer server;
    private final HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    private final BlockingQueue<FailureEvent> events = new LinkedBlockingQueue<>();

    private H2cGateway(GatewayConfig config) throws Exception {
        server = GatewayServer.builder(config).host("127.0.0.1").port(0).listener(events::add).build().start();
        client.start();
    }

    /**
     * @param config the gateway's config
     * @return the started gateway
     * @throws Exception if it cannot start
     */
    public static H2cGateway start(GatewayConfig config) throws Exception {
        return new H2cGateway(config);
    }

    /** @return its port */
    public int port() {
        return server.port();
    }

    /**
     * @param pathAndQuery such as {@code /api/users}
     * @return the URL of that path on the gateway
     */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    /** @return a started client that speaks h2c with prior knowledge */
    public HttpClient h2cClient() {
        return client;
    }

    /** @return the standalone server */
    public GatewayServer server() {
        return server;
    }

    /** @return the failure events reported so far, taken as read */
    public BlockingQueue<FailureEvent> events() {
        return events;
    }

    @Override
    public void close() throws Exception {
        client.stop();
        server.stop();
    }
}
