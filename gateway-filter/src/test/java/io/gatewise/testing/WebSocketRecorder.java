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
import org.eclipse.jetty.websocket.api.Session;

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
    private volatile Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketPartialText(String payload, boolean fin) {
        textFragments.add(payload);
        text.append(payload);
        if (fin) {
            texts.add(text.toString());
            text.setLength(0);
        }
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        binary.writeBytes(bytes);
        callback.succeed();
        if (fin) {
            binaries.add(binary.toByteArray());
            binary.reset();
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        pings.add(StandardCharsets.UTF_8.decode(payload.slice()).toString());
        // Answered as a browser does.
        session.sendPong(payload, Callback.NOOP);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        pongs.add(StandardCharsets.UTF_8.decode(payload).toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete("error " + cause);
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
