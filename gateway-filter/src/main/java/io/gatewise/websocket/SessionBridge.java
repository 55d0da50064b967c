package io.gatewise.websocket;

import io.gatewise.client.ClientSettings;
import io.gatewise.config.DataSizes;
import io.gatewise.config.Durations;
import io.gatewise.config.WebSocketConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.WebSocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket session through the gateway: the client's leg and the upstream's, joined. Frames
 * pass as they come, fragments as fragments, each leg reading the next frame only once the last
 * one was written to the other (so a slow side slows the other, and nothing piles up in memory).
 * The first close decides how the session ends, and both sides are told:
 * <ul>
 *   <li>a close from either side passes to the other with its code and reason (custom codes
 *       included; a close without a code becomes {@code 1000});</li>
 *   <li>an upstream lost without a close gives the client {@code 1014} with the incident id;</li>
 *   <li>a client lost without a close gives the upstream {@code 1001};</li>
 *   <li>the gateway's own closes go to both: {@code 1001} for an idle session or a drain,
 *       {@code 1009} for a message over {@code websocket.maxMessageSize}, {@code 1007} for text
 *       that is not UTF-8.</li>
 * </ul>
 * The upstream's leg is opened first (see {@link #upstreamLeg()}); it reads nothing until the
 * client's leg is open.
 */
public final class SessionBridge {
    private static final Logger LOG = LoggerFactory.getLogger(SessionBridge.class);
    /** How much longer than the session's idle timeout each leg's own timeout is: the gateway's check comes first. */
    static final Duration LEG_IDLE_MARGIN = Duration.ofSeconds(30);

    private final String route;
    private final ClientSettings upstreamClient;
    private final WebSocketConfig settings;
    private final SessionEvents events;
    private final WebSocketSessions sessions;
    private final UpstreamLeg upstreamLeg = new UpstreamLeg();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger legsClosed = new AtomicInteger();
    private final Utf8Fragments upstreamText = new Utf8Fragments();
    private final Utf16Fragments clientText = new Utf16Fragments();
    private volatile CoreSession upstream;
    private volatile Session client;
    private volatile long lastFrameNanos = System.nanoTime();
    /** When the write of a frame to the upstream began, on the {@link System#nanoTime()} scale; 0 when none waits. */
    private volatile long upstreamWriteSince;
    /** When the write of a frame to the client began; 0 when none waits. */
    private volatile long clientWriteSince;
    private volatile Throwable upstreamFailure;
    private volatile Throwable clientFailure;
    /** The upstream's close that came before the client's leg opened; guarded by this. */
    private CloseStatus earlyClose;
    /** The upstream's message under way: its size so far, and whether it is text. Upstream leg only. */
    private long upstreamMessageBytes;
    private boolean upstreamMessageIsText;
    /** The client's message under way: its size so far, and whether one is under way. Client leg only. */
    private long clientMessageBytes;
    private boolean clientMessageOpen;

    /**
     * @param route the route's configured path
     * @param upstreamClient the settings of the upstream client its upstream's leg goes through
     * @param settings the route's WebSocket settings
     * @param events where the session's end goes
     * @param sessions the open sessions it joins once both legs are open
     */
    public SessionBridge(String route, ClientSettings upstreamClient, WebSocketConfig settings, SessionEvents events,
            WebSocketSessions sessions) {
        this.route = route;
        this.upstreamClient = upstreamClient;
        this.settings = settings;
        this.events = events;
        this.sessions = sessions;
    }

    /** @return the route's configured path */
    public String route() {
        return route;
    }

    /** @return the settings of the upstream client its upstream's leg goes through */
    ClientSettings upstreamClient() {
        return upstreamClient;
    }

    /**
     * The upstream accepted: the session counts as open from now on (for the meters, a drain and
     * the idle check), even should the client's leg never open.
     */
    public void upstreamAccepted() {
        sessions.add(this);
    }

    /** @return the frame handler of the upstream's leg, to connect the upstream with */
    public FrameHandler upstreamLeg() {
        return upstreamLeg;
    }

    /** @return a new endpoint for the client's leg, for the container to open once the client is upgraded */
    public Endpoint clientLeg() {
        return new ClientLeg(this);
    }

    /** @return how long each leg's own idle timeout is: longer than the session's, which the gateway checks */
    public Duration legIdleTimeout() {
        return settings.idleTimeout().plus(LEG_IDLE_MARGIN);
    }

    /**
     * The client could not be upgraded after the upstream was: the upstream is told {@code 1001}
     * and the session ends without having started.
     */
    public void clientNeverOpened() {
        if (closing.compareAndSet(false, true)) {
            closeUpstream(CloseCodes.GOING_AWAY, "Client not upgraded");
            events.ended(CloseCodes.GOING_AWAY, Initiator.GATEWAY);
        }
        sessions.remove(this);
    }

    /**
     * Finds whether the session waited too long: a write to the upstream pending longer than the
     * idle timeout is an upstream that stopped reading ({@code 1014} for the client, the failure
     * recorded); one to the client, a client that stopped reading ({@code 1001} for the upstream);
     * and no frame either way for that long, an idle session ({@code 1001} to both sides).
     *
     * @param nowNanos now, on the {@link System#nanoTime()} scale
     * @return the close to run (it may wait on a connection), or null when the session may go on
     */
    Runnable waitedTooLong(long nowNanos) {
        long idle = settings.idleTimeout().toNanos();
        long upstreamWrite = upstreamWriteSince;
        long clientWrite = clientWriteSince;
        if (closing.get()) {
            return null;
        }
        if (upstreamWrite != 0 && nowNanos - upstreamWrite > idle) {
            return this::upstreamStalled;
        }
        if (clientWrite != 0 && nowNanos - clientWrite > idle) {
            return this::clientStalled;
        }
        if (nowNanos - lastFrameNanos > idle) {
            return () -> closeBoth(CloseCodes.GOING_AWAY, "Idle for " + Durations.format(settings.idleTimeout()));
        }
        return null;
    }

    private void upstreamStalled() {
        if (closing.compareAndSet(false, true)) {
            String incident = events.upstreamStalled();
            // The write waiting on the upstream fails at once: the client's leg reads (and drops) what follows.
            upstream.abort();
            closeClient(CloseCodes.BAD_GATEWAY, "Bad Gateway: upstream stopped reading; incident " + incident);
            events.ended(CloseCodes.BAD_GATEWAY, Initiator.UPSTREAM);
        }
    }

    private void clientStalled() {
        if (closing.compareAndSet(false, true)) {
            closeUpstream(CloseCodes.GOING_AWAY, "Client stopped reading");
            closeClient(CloseCodes.GOING_AWAY, "Not reading");
            events.ended(CloseCodes.GOING_AWAY, Initiator.CLIENT);
        }
    }

    /** Closes the session because the gateway drains: {@code 1001} to both sides, so clients reconnect elsewhere. */
    void goAway() {
        closeBoth(CloseCodes.GOING_AWAY, "Gateway going away");
    }

    /** Drops both connections at once, for a drain past its deadline. */
    void abort() {
        closing.set(true);
        CoreSession session = upstream;
        if (session != null) {
            session.abort();
        }
        Session open = client;
        if (open != null) {
            try {
                open.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "Gateway stopping"));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cannot close the client's leg", e);
            }
        }
        sessions.remove(this);
    }

    /** The gateway's own close, of both sides with the same code and reason. */
    private void closeBoth(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeClient(code, reason);
        closeUpstream(code, reason);
        events.ended(code, Initiator.GATEWAY);
    }

    private void closeClient(int code, String reason) {
        Session open = client;
        if (open == null) {
            // Never opened: this leg is done with; should it open still, it is closed at once.
            legClosed();
            return;
        }
        if (!open.isOpen()) {
            return;
        }
        try {
            open.close(new CloseReason(CloseCodes.jakarta(code), CloseCodes.fit(reason)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot close the client's leg with {}", code, e);
        }
    }

    private void closeUpstream(int code, String reason) {
        synchronized (this) {
            if (earlyClose != null) {
                // The upstream's leg closed before the client's opened, and was not counted then.
                earlyClose = null;
                legClosed();
                return;
            }
        }
        CoreSession session = upstream;
        if (session != null) {
            session.close(code, CloseCodes.fit(reason), Callback.NOOP);
        }
    }

    private void legClosed() {
        if (legsClosed.incrementAndGet() >= 2) {
            sessions.remove(this);
        }
    }

    private void touch() {
        lastFrameNanos = System.nanoTime();
    }

    // The client's leg: frames from the client go upstream.

    private void clientOpened(Session session) {
        CloseStatus early;
        synchronized (this) {
            client = session;
            early = earlyClose;
            earlyClose = null;
        }
        if (early != null) {
            upstreamClosed(early);
            return;
        }
        if (closing.get()) {
            // The gateway closed the session (a drain, the idle check) before this leg opened.
            closeClient(CloseCodes.GOING_AWAY, "Gateway going away");
            return;
        }
        session.setMaxIdleTimeout(legIdleTimeout().toMillis());
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::fromClientText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::fromClientBinary);
        session.addMessageHandler(PongMessage.class,
                (MessageHandler.Whole<PongMessage>) pong -> toUpstream(new Frame(OpCode.PONG, pong.getApplicationData())));
        // The upstream's leg reads from now on: the client can take what it sends.
        upstream.demand();
    }

    private void fromClientText(String piece, boolean last) {
        ByteBuffer bytes = clientText.encode(piece, last);
        fromClientData(OpCode.TEXT, bytes, last);
    }

    private void fromClientBinary(ByteBuffer piece, boolean last) {
        fromClientData(OpCode.BINARY, piece, last);
    }

    private void fromClientData(byte messageOpCode, ByteBuffer payload, boolean last) {
        touch();
        byte opCode = clientMessageOpen ? OpCode.CONTINUATION : messageOpCode;
        clientMessageBytes = (clientMessageOpen ? clientMessageBytes : 0) + payload.remaining();
        clientMessageOpen = !last;
        if (clientMessageBytes > settings.maxMessageSize()) {
            closeBoth(CloseCodes.MESSAGE_TOO_BIG, "Message over " + DataSizes.format(
                    settings.maxMessageSize()));
            return;
        }
        toUpstream(new Frame(opCode, last, payload));
    }

    /** Sends a frame upstream and waits until it is written: the client's leg reads on only then. */
    private void toUpstream(Frame frame) {
        CoreSession session = upstream;
        if (closing.get() || !session.isOutputOpen()) {
            return;
        }
        FutureCallback written = new FutureCallback();
        upstreamWriteSince = System.nanoTime();
        try {
            session.sendFrame(frame, written, false);
            written.get(legIdleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The upstream's leg fails with it, and onClosed says how the session ends.
            LOG.debug("Cannot write to the upstream's leg of {}", route, e);
        } finally {
            upstreamWriteSince = 0;
        }
    }

    private void clientClosed(CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        if (closing.compareAndSet(false, true)) {
            if (code == CloseCodes.ABNORMAL || clientFailure != null) {
                closeUpstream(CloseCodes.GOING_AWAY, "Client went away");
                events.ended(CloseCodes.GOING_AWAY, Initiator.CLIENT);
            } else {
                int relayed = CloseCodes.relayable(code);
                closeUpstream(relayed, reason.getReasonPhrase());
                events.ended(relayed, Initiator.CLIENT);
            }
        }
        legClosed();
    }

    // The upstream's leg: frames from the upstream go to the client.

    /**
     * Passes a frame from the upstream to the client, then reads the next one: also while the
     * session closes (what comes then is dropped), so the upstream's answer to a close is read.
     */
    private void fromUpstream(Frame frame, Callback callback) {
        touch();
        Session session = client;
        clientWriteSince = System.nanoTime();
        try {
            if (!closing.get()) {
                switch (frame.getOpCode()) {
                    case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> upstreamData(session, frame);
                    case OpCode.PING -> session.getBasicRemote().sendPing(copy(frame.getPayload()));
                    case OpCode.PONG -> session.getBasicRemote().sendPong(copy(frame.getPayload()));
                    default -> {
                        // A close: onClosed follows, once the core has answered it.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client's leg failed: its close says how the session ends.
            LOG.debug("Cannot write to the client's leg of {}", route, e);
        } finally {
            clientWriteSince = 0;
        }
        callback.succeeded();
        if (frame.getOpCode() != OpCode.CLOSE) {
            upstream.demand();
        }
    }

    /** Passes a data frame to the client, unless the message goes over a limit: then the session closes. */
    private void upstreamData(Session session, Frame frame) throws IOException {
        boolean first = frame.getOpCode() != OpCode.CONTINUATION;
        if (first) {
            upstreamMessageIsText = frame.getOpCode() == OpCode.TEXT;
            upstreamMessageBytes = 0;
        }
        upstreamMessageBytes += frame.getPayloadLength();
        if (upstreamMessageBytes > settings.maxMessageSize()) {
            closeBoth(CloseCodes.MESSAGE_TOO_BIG, "Message over " + DataSizes.format(
                    settings.maxMessageSize()));
            return;
        }
        RemoteEndpoint.Basic remote = session.getBasicRemote();
        if (upstreamMessageIsText) {
            String text;
            try {
                text = upstreamText.decode(frame.getPayload() == null ? ByteBuffer.allocate(0) : frame.getPayload(),
                        frame.isFin());
            } catch (CharacterCodingException e) {
                closeBoth(CloseCodes.INVALID_PAYLOAD, "Text is not UTF-8");
                return;
            }
            remote.sendText(text, frame.isFin());
        } else {
            remote.sendBinary(frame.getPayload() == null ? ByteBuffer.allocate(0) : frame.getPayload(), frame.isFin());
        }
    }

    private void upstreamClosed(CloseStatus status) {
        if (closing.compareAndSet(false, true)) {
            Throwable failure = upstreamFailure;
            if (failure instanceof WebSocketTimeoutException) {
                String reason = "Idle for " + Durations.format(legIdleTimeout());
                closeClient(CloseCodes.GOING_AWAY, reason);
                events.ended(CloseCodes.GOING_AWAY, Initiator.GATEWAY);
            } else if (failure != null || status.getCode() == CloseCodes.ABNORMAL
                    || status.getCode() == CloseCodes.TLS_HANDSHAKE) {
                String incident = events.upstreamLost(failure != null ? failure
                        : new EOFException("upstream closed without a close frame"));
                closeClient(CloseCodes.BAD_GATEWAY, "Bad Gateway: upstream connection lost; incident " + incident);
                events.ended(CloseCodes.BAD_GATEWAY, Initiator.UPSTREAM);
            } else {
                int relayed = CloseCodes.relayable(status.getCode());
                closeClient(relayed, status.getReason());
                events.ended(relayed, Initiator.UPSTREAM);
            }
        }
        legClosed();
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        if (payload == null) {
            return ByteBuffer.allocate(0);
        }
        return ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
    }

    /** The upstream's leg: Jetty's frame-level client session, which reads only on demand. */
    private final class UpstreamLeg implements FrameHandler {
        @Override
        public void onOpen(CoreSession session, Callback callback) {
            upstream = session;
            // No demand yet: nothing is read until the client's leg is open.
            callback.succeeded();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            fromUpstream(frame, callback);
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            // A handshake that failed is told here too: only a failure of the open session counts.
            if (upstream != null) {
                upstreamFailure = cause;
            }
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            callback.succeeded();
            synchronized (SessionBridge.this) {
                if (client == null && !closing.get()) {
                    // Closed between the two handshakes: the client hears of it as soon as its leg opens.
                    earlyClose = status;
                    return;
                }
            }
            upstreamClosed(status);
        }
    }

    /** The client's leg: a Jakarta WebSocket endpoint, made for this session only. */
    public static final class ClientLeg extends Endpoint {
        private final SessionBridge bridge;

        ClientLeg(SessionBridge bridge) {
            this.bridge = bridge;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            bridge.clientOpened(session);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            bridge.clientClosed(reason);
        }

        @Override
        public void onError(Session session, Throwable failure) {
            bridge.clientFailure = failure;
        }
    }
}
