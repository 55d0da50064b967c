package io.gatewise.deployment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket upstream on a free port of 127.0.0.1, on Jetty's own WebSocket API: it echoes every
 * message, obeys {@code cmd:close:CODE:REASON} (closes so) and {@code cmd:reset} (drops the
 * connection without a close), refuses a path ending in {@code /refuse} with {@code 401} and
 * {@link #REFUSAL}, and remembers the closes it received on each path.
 */
final class WebSocketEchoUpstream implements AutoCloseable {
    /** The body of a refused upgrade. */
    static final String REFUSAL = "{\"error\":\"login first\"}";

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Map<String, BlockingQueue<String>> closes = new ConcurrentHashMap<>();

    private WebSocketEchoUpstream() throws Exception {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/*", (request, response, callback) -> {
                if (request.getHttpURI().getPath().endsWith("/refuse")) {
                    response.setStatus(401);
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"live\"");
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(REFUSAL.getBytes(StandardCharsets.UTF_8)), callback);
                    return null;
                }
                return new Echo(closes(request.getHttpURI().getPath()));
            });
        }));
        server.setHandler(context);
        server.start();
    }

    /** @return a started upstream; close it after the tests */
    static WebSocketEchoUpstream start() {
        try {
            return new WebSocketEchoUpstream();
        } catch (Exception e) {
            throw new IllegalStateException("the test's WebSocket upstream did not start", e);
        }
    }

    /** @return its port on 127.0.0.1 */
    int port() {
        return connector.getLocalPort();
    }

    /**
     * @param path the path of the upstream's handshake
     * @return the close it received first on that path, as {@code CODE REASON}; null if none came
     *     within 20 seconds
     */
    String awaitClose(String path) throws InterruptedException {
        return closes(path).poll(20, TimeUnit.SECONDS);
    }

    private BlockingQueue<String> closes(String path) {
        return closes.computeIfAbsent(path, any -> new LinkedBlockingQueue<>());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Echoes each message; obeys the commands. Public, as Jetty's WebSocket API asks of an endpoint. */
    public final class Echo implements Session.Listener.AutoDemanding {
        private final BlockingQueue<String> closes;
        private Session session;

        Echo(BlockingQueue<String> closes) {
            this.closes = closes;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.startsWith("cmd:close:")) {
                String[] parts = message.split(":", 4);
                session.close(Integer.parseInt(parts[2]), parts.length > 3 ? parts[3] : null, Callback.NOOP);
            } else if (message.equals("cmd:reset")) {
                session.disconnect();
            } else {
                session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closes.add(statusCode + " " + reason);
        }
    }
}
