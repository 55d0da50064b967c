package io.gatewise.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A real WebSocket server on a free port of 127.0.0.1, on Jetty's own WebSocket API: it echoes
 * every frame as it comes (fragments as fragments), and obeys commands sent as one-frame text
 * messages:
 * <ul>
 *   <li>{@code cmd:close:CODE:REASON}: closes with that code and reason;</li>
 *   <li>{@code cmd:reset}: drops the connection without a close;</li>
 *   <li>{@code cmd:ping:PAYLOAD}: sends a ping;</li>
 *   <li>{@code cmd:send:N}: sends a binary message of N bytes;</li>
 *   <li>{@code cmd:fragments:A,B,C}: sends a text message in those fragments.</li>
 * </ul>
 * It accepts the subprotocol {@code chat} when offered, refuses a path ending in {@code /refuse}
 * with {@code 401} and a page, closes with {@code 4002} as soon as a path ending in
 * {@code /close-at-once} opens, and remembers each handshake's headers, the closes it received
 * and the pongs.
 */
public final class WebSocketUpstream implements AutoCloseable {
    /** The page of a refused upgrade. */
    public static final String REFUSAL = "{\"error\":\"login first\"}";

    private final Server server;
    private final ServerConnector connector;
    private final List<HttpFields> handshakes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    private WebSocketUpstream() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.setMaxTextMessageSize(64L * 1024 * 1024);
            container.setMaxBinaryMessageSize(64L * 1024 * 1024);
            container.addMapping("/*", (request, response, callback) -> {
                handshakes.add(request.getHeaders());
                if (request.getHttpURI().getPath().endsWith("/refuse")) {
                    response.setStatus(401);
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"live\"");
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(REFUSAL.getBytes(StandardCharsets.UTF_8)), callback);
                    return null;
                }
                if (request.getSubProtocols().contains("chat")) {
                    response.setAcceptedSubProtocol("chat");
                }
                response.getHeaders().add(HttpHeader.SET_COOKIE, "live=1; Path=/");
                return new Echo(request.getHttpURI().getPath().endsWith("/close-at-once"));
            });
        });
        context.setHandler(webSockets);
        server.setHandler(context);
        server.start();
    }

    /** @return a started upstream; close it after the test */
    public static WebSocketUpstream start() throws Exception {
        return new WebSocketUpstream();
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** @return the headers of each handshake it received, in order */
    public List<HttpFields> handshakes() {
        return handshakes;
    }

    /** @return the closes it received, as {@code CODE REASON} */
    public BlockingQueue<String> closes() {
        return closes;
    }

    /** @return the payloads of the pongs it received */
    public BlockingQueue<String> pongs() {
        return pongs;
    }

    /** @return its sessions, open or not */
    public List<Session> sessions() {
        return sessions;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Echoes each frame as it comes; obeys the commands. */
    /** Public, as Jetty's WebSocket API asks of an endpoint. */
    public final class Echo implements Session.Listener.AutoDemanding {
        private final boolean closeAtOnce;
        private Session session;
        private boolean inText;

        Echo(boolean closeAtOnce) {
            this.closeAtOnce = closeAtOnce;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            sessions.add(session);
            if (closeAtOnce) {
                session.close(4002, "closed at once", Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketPartialText(String payload, boolean fin) {
            if (!inText && fin && payload.startsWith("cmd:")) {
                command(payload.substring("cmd:".length()));
                return;
            }
            inText = !fin;
            session.sendPartialText(payload, fin, Callback.NOOP);
        }

        @Override
        public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin,
                Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendPartialBinary(copy, fin, Callback.NOOP);
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            pongs.add(StandardCharsets.UTF_8.decode(payload).toString());
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closes.add(statusCode + " " + reason);
        }

        private void command(String command) {
            String[] parts = command.split(":", 3);
            switch (parts[0]) {
                case "close" -> session.close(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : null,
                        Callback.NOOP);
                case "reset" -> session.disconnect();
                case "ping" -> session.sendPing(ByteBuffer.wrap(parts[1].getBytes(StandardCharsets.UTF_8)),
                        Callback.NOOP);
                case "send" -> session.sendBinary(ByteBuffer.allocate(Integer.parseInt(parts[1])),
                        Callback.NOOP);
                case "fragments" -> {
                    String[] fragments = parts[1].split(",");
                    for (int i = 0; i < fragments.length; i++) {
                        session.sendPartialText(fragments[i], i == fragments.length - 1,
                                Callback.NOOP);
                    }
                }
                default -> throw new IllegalArgumentException("No such command: " + command);
            }
        }
    }
}
