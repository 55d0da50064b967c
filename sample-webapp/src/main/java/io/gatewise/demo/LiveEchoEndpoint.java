package io.gatewise.demo;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo upstream's WebSocket echo at {@value #PATH}: sends back each text and binary message,
 * and obeys two text messages, so the live page can show how a session ends:
 * <ul>
 *   <li>{@value #CLOSE}: closes with {@value #CLOSE_CODE} "{@value #CLOSE_REASON}", which the
 *       gateway passes through to the client;</li>
 *   <li>{@value #DROP}: drops the connection without a close, which the gateway reports to the
 *       client as {@code 1014} with the incident.</li>
 * </ul>
 * Public, as Jetty's WebSocket API asks of an endpoint.
 */
public final class LiveEchoEndpoint implements Session.Listener.AutoDemanding {
    /** Where it listens on the upstream, and through the gateway's {@code /live/} route. */
    public static final String PATH = "/live/socket";
    /** The text that makes it close. */
    public static final String CLOSE = "close";
    /** The text that makes it drop the connection. */
    public static final String DROP = "drop";
    /** The code it closes with on {@value #CLOSE}: an application's own (4000-4999). */
    public static final int CLOSE_CODE = 4000;
    /** The reason it closes with on {@value #CLOSE}. */
    public static final String CLOSE_REASON = "closed by the upstream on request";

    private static final Logger LOG = LoggerFactory.getLogger(LiveEchoEndpoint.class);

    private Session session;
    private volatile boolean dropped;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        switch (message) {
            case CLOSE -> session.close(CLOSE_CODE, CLOSE_REASON, Callback.NOOP);
            case DROP -> {
                dropped = true;
                session.disconnect();
            }
            default -> session.sendText(message, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        callback.succeed();
        session.sendBinary(copy, Callback.NOOP);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // After a drop, the session fails with the connection it dropped: on purpose, and the gateway logs the incident.
        if (!dropped) {
            LOG.warn("The live echo's session failed", cause);
        }
    }
}
