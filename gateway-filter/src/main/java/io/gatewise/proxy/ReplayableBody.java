package io.gatewise.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;

/**
 * A client's request body of known length, read whole before the first attempt so that a retry
 * can send it again. Read without blocking a thread; a client that stalls fails the read (the
 * container's idle timeout), and no upstream is contacted for it.
 */
final class ReplayableBody implements ReadListener {
    private final ServletInputStream input;
    private final String contentType;
    private final byte[] bytes;
    private final CompletableFuture<Void> read = new CompletableFuture<>();
    private int filled;

    private ReplayableBody(ServletInputStream input, String contentType, int length) {
        this.input = input;
        this.contentType = contentType;
        this.bytes = new byte[length];
    }

    /**
     * Starts reading a request's body; the request must be in asynchronous mode.
     *
     * @param request the client's request
     * @param length its {@code Content-Length}
     * @return the body, being read
     * @throws IOException if the body cannot be read
     */
    static ReplayableBody read(HttpServletRequest request, int length) throws IOException {
        ReplayableBody body = new ReplayableBody(request.getInputStream(), request.getContentType(), length);
        body.input.setReadListener(body);
        return body;
    }

    /** @return completes when the whole body is read, or fails with why it could not be */
    CompletableFuture<Void> whenRead() {
        return read;
    }

    /** @return the body as content for one attempt; each attempt gets its own, over the same bytes */
    Request.Content content() {
        return new BytesRequestContent(contentType, bytes);
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (input.isReady()) {
            if (filled == bytes.length) {
                // The container frames the body by its Content-Length: what is left is its end.
                if (input.read() < 0) {
                    return;
                }
                throw new IOException("request body longer than its Content-Length " + bytes.length);
            }
            int n = input.read(bytes, filled, bytes.length - filled);
            if (n < 0) {
                return;
            }
            filled += n;
        }
    }

    @Override
    public void onAllDataRead() {
        if (filled == bytes.length) {
            read.complete(null);
        } else {
            read.completeExceptionally(new EOFException("request body ended after " + filled + " of "
                    + bytes.length + " bytes"));
        }
    }

    @Override
    public void onError(Throwable failure) {
        read.completeExceptionally(failure);
    }
}
