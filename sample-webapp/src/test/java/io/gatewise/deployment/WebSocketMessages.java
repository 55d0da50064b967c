package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A WebSocket client endpoint (Jetty's API) that keeps what comes: whole messages, and the close. */
public final class WebSocketMessages implements Session.Listener.AutoDemanding {
    /** How long a test waits for what it expects: seconds of margin on a loaded machine. */
    public static final long WAIT_SECONDS = 20;

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public void onWebSocketText(String message) {
        texts.add(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        binaries.add(bytes);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete("error " + cause);
    }

    /** @return the next text message */
    public String nextText() throws InterruptedException {
        return next(texts);
    }

    /** @return the next binary message */
    public byte[] nextBinary() throws InterruptedException {
        return next(binaries);
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a message within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    /** @return the close as {@code CODE REASON}, once it came */
    public String close() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
