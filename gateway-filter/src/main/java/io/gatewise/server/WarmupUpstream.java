package io.gatewise.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The upstream of a warm-up's twin ({@link GatewayWarmup}): a Jetty server on 127.0.0.1 that reads
 * each request's body and answers {@code 200} with a short text. It exists only while the warm-up
 * runs.
 */
final class WarmupUpstream implements AutoCloseable {
    private static final int THREADS = 16;
    private static final ByteBuffer BODY = ByteBuffer.wrap(
            "{\"warmup\":true,\"note\":\"a synthetic answer the gateway's warm-up sends itself\"}\n"
                    .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final Server server;
    private final ServerConnector connector;

    private WarmupUpstream() {
        QueuedThreadPool threads = new QueuedThreadPool(THREADS);
        threads.setName("gatewise-warmup-upstream");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.consumeAll(request, Callback.from(() -> {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, BODY.slice(), callback);
                }, callback::failed));
                return true;
            }
        });
    }

    /** @return a started upstream */
    static WarmupUpstream start() throws Exception {
        WarmupUpstream upstream = new WarmupUpstream();
        try {
            upstream.server.start();
        } catch (Exception e) {
            upstream.close();
            throw e;
        }
        return upstream;
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
