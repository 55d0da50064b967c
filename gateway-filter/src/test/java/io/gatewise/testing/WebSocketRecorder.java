package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A WebSocket client endpoint (Jetty's API) that records what it receives: whole text messages,
 * each text fragment as it came, binary messages, pings, pongs, and the close.
 */
public final class WebSocketRecorder implements Session.Listener.AutoDemanding {
    /** How long a test waits for what it expects: seconds of margin on a loaded machine. */
    public static final long WAIT_SECONDS = 20;

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<String> textFragments = new CopyOnWriteArrayList<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pings = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private boolean inText;
    private volatile Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    /**
     * Takes each frame as it is read: the fragments of messages, pings (answered as a browser
     * does), pongs, and a close before a failed write of the client's own can hide it.
     */
    @Override
    public void onWebSocketFrame(Frame frame, Callback callback) {
        ByteBuffer payload = frame.getPayload() == null ? ByteBuffer.allocate(0) : frame.getPayload().slice();
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> text(payload, frame.isFin(), true);
            case OpCode.BINARY -> binary(payload, frame.isFin(), true);
            case OpCode.CONTINUATION -> {
                if (inText) {
                    text(payload, frame.isFin(), false);
                } else {
                    binary(payload, frame.isFin(), false);
                }
            }
            case OpCode.CLOSE -> {
                int code = payload.remaining() >= 2 ? Short.toUnsignedInt(payload.getShort()) : 1005;
                closed.complete(code + " " + StandardCharsets.UTF_8.decode(payload));
            }
            case OpCode.PING -> {
                pings.add(StandardCharsets.UTF_8.decode(payload.slice()).toString());
                // Answered as a browser does.
                session.sendPong(payload, Callback.NOOP);
            }
            case OpCode.PONG -> pongs.add(StandardCharsets.UTF_8.decode(payload).toString());
            default -> {
                // Data frames: the partial handlers have them.
            }
        }
        callback.succeed();
    }

    /** Each frame of a text message is whole characters as the gateway sends them. */
    private void text(ByteBuffer payload, boolean fin, boolean first) {
        if (first) {
            text.setLength(0);
        }
        inText = !fin;
        String fragment = StandardCharsets.UTF_8.decode(payload).toString();
        textFragments.add(fragment);
        text.append(fragment);
        if (fin) {
            texts.add(text.toString());
        }
    }

    private void binary(ByteBuffer payload, boolean fin, boolean first) {
        if (first) {
            binary.reset();
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        binary.writeBytes(bytes);
        if (fin) {
            binaries.add(binary.toByteArray());
        }
    }

    /** A close without a close frame: Jetty reports 1006 with what failed. */
    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
    }

    /** @return its session, once open */
    public Session session() {
        return session;
    }

    /** @return the next whole text message */
    public String nextText() throws InterruptedException {
        String next = texts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a text message within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    /** @return the next whole binary message */
    public byte[] nextBinary() throws InterruptedException {
        byte[] next = binaries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a binary message within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    /** @return the next ping's payload */
    public String nextPing() throws InterruptedException {
        String next = pings.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a ping within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    /** @return the next pong's payload */
    public String nextPong() throws InterruptedException {
        String next = pongs.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a pong within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    /** @return each text fragment as it came */
    public List<String> textFragments() {
        return textFragments;
    }

    /** @return the close as {@code CODE REASON}, once it came */
    public String close() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return whether the session has closed yet */
    public boolean isClosed() {
        return closed.isDone();
    }
}
