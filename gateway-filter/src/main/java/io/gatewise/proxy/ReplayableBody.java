package io.gatewise.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.Request;

/**
 * A client's request body of known length, read whole before the first attempt so that a retry
 * can send it again. Read without blocking a thread; a client that stalls fails the read (the
 * container's idle timeout), and no upstream is contacted for it.
 *
 * <p>Its buffer grows with the bytes that arrive, doubling up to the declared length, so memory
 * follows what a client sent, not what it claimed; the {@link ReplayMemory} bounds all kept bodies
 * together and is told of every growth.
 */
final class ReplayableBody implements ReadListener {
    private static final int FIRST_BUFFER = 8 * 1024;

    private final ServletInputStream input;
    private final String contentType;
    private final int length;
    private final ReplayMemory memory;
    private final CompletableFuture<Void> read = new CompletableFuture<>();
    private byte[] bytes;
    private int filled;
    private boolean released;

    private ReplayableBody(ServletInputStream input, String contentType, int length, ReplayMemory memory) {
        this.input = input;
        this.contentType = contentType;
        this.length = length;
        this.memory = memory;
        this.bytes = new byte[0];
    }

    /**
     * Starts reading a request's body; the request must be in asynchronous mode. Its declared
     * length must have been reserved from the memory; {@link #release()} gives it back.
     *
     * @param request the client's request
     * @param length its {@code Content-Length}
     * @param memory the memory all kept bodies share
     * @return the body, being read
     * @throws IOException if the body cannot be read
     */
    static ReplayableBody read(HttpServletRequest request, int length, ReplayMemory memory) throws IOException {
        ReplayableBody body = new ReplayableBody(request.getInputStream(), request.getContentType(), length, memory);
        body.input.setReadListener(body);
        return body;
    }

    /**
     * Gives back the memory the body took once its request has ended, however it ends.
     *
     * @param request the request's asynchronous context
     */
    void releaseWhenDone(AsyncContext request) {
        request.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                release();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // The request goes on to its completion, which releases.
            }

            @Override
            public void onError(AsyncEvent event) {
                // Likewise: completion follows.
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this);
            }
        });
    }

    /** Gives back the memory the body took, once. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        memory.release(length, bytes.length);
        bytes = new byte[0];
    }

    /** @return completes when the whole body is read, or fails with why it could not be */
    CompletableFuture<Void> whenRead() {
        return read;
    }

    /** @return the body as content for one attempt; each attempt gets its own, over the same bytes */
    synchronized Request.Content content() {
        return new ByteBufferRequestContent(contentType, ByteBuffer.wrap(bytes, 0, filled).asReadOnlyBuffer());
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        while (input.isReady()) {
            if (released) {
                return;
            }
            if (filled == bytes.length && filled < length) {
                grow();
            }
            if (filled == length) {
                // The container frames the body by its Content-Length: what is left is its end.
                if (input.read() < 0) {
                    return;
                }
                throw new IOException("request body longer than its Content-Length " + length);
            }
            int n = input.read(bytes, filled, bytes.length - filled);
            if (n < 0) {
                return;
            }
            filled += n;
        }
    }

    /** Doubles the buffer, up to the declared length: it grows only as bytes arrive. */
    private void grow() {
        int size = (int) Math.min(length, Math.max(FIRST_BUFFER, 2L * bytes.length));
        memory.allocated(size - bytes.length);
        bytes = Arrays.copyOf(bytes, size);
    }

    @Override
    public synchronized void onAllDataRead() {
        if (filled == length) {
            read.complete(null);
        } else {
            read.completeExceptionally(new EOFException("request body ended after " + filled + " of "
                    + length + " bytes"));
        }
    }

    @Override
    public void onError(Throwable failure) {
        read.completeExceptionally(failure);
    }
}
