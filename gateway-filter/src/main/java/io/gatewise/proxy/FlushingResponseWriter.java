package io.gatewise.proxy;

import io.gatewise.failure.ClientAbortException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.channels.WritePendingException;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the server-to-proxy response body to the client with Servlet non-blocking I/O, and
 * flushes after every piece of a streamed body.
 *
 * <p>A servlet container aggregates small writes until its buffer fills; for a proxy that means
 * a slowly produced body (progress output, server-sent events, a long report) would reach the
 * client late and in bursts. Flushing each piece as it arrives keeps the client as close to the
 * upstream as the network allows. Pieces are as large as the upstream client's read buffer, so
 * a fast upstream still produces large writes.
 *
 * <p>A body the upstream announced with {@code Content-Length} is not flushed piece by piece: it
 * is a document, not a stream, and the container sends it as its buffer fills and at its last
 * byte. Flushing every piece cost about a tenth of the throughput on 64 KB bodies at 256
 * connections (src/bench). Streams (chunked or closed-delimited bodies, such as server-sent
 * events) have no length and are still flushed.
 */
final class FlushingResponseWriter implements WriteListener {
    private enum Step { IDLE, WRITE, FLUSH, FLUSHING }

    private final ServletOutputStream output;
    private final Response serverResponse;
    private final boolean flushEachPiece;
    private Step step = Step.IDLE;
    private byte[] buffer;
    private int offset;
    private int length;
    private Callback callback;
    private volatile boolean cancelled;

    FlushingResponseWriter(ServletOutputStream output, Response serverResponse) {
        this.output = output;
        this.serverResponse = serverResponse;
        this.flushEachPiece = !serverResponse.getHeaders().contains(HttpHeader.CONTENT_LENGTH);
    }

    /**
     * Hands over the next piece of body; {@link #onWritePossible()} writes it.
     *
     * @throws WritePendingException if the previous piece is still being written
     */
    void next(byte[] buffer, int offset, int length, Callback callback) {
        if (step != Step.IDLE) {
            throw new WritePendingException();
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.callback = callback;
        this.step = Step.WRITE;
    }

    /**
     * Hands over the next piece of body and writes it now if the client's stream is ready, as the
     * Servlet contract asks (no write without {@code isReady()} first); otherwise the container
     * calls {@link #onWritePossible()} once it is.
     *
     * @throws IOException if the client's stream fails at once
     */
    void offer(byte[] buffer, int offset, int length, Callback callback) throws IOException {
        next(buffer, offset, length, callback);
        if (output.isReady()) {
            onWritePossible();
        }
    }

    /**
     * Writes nothing more: the upstream's answer failed before any of it reached the client, and
     * the gateway's own answer takes the stream.
     */
    void cancel() {
        cancelled = true;
    }

    @Override
    public void onWritePossible() throws IOException {
        if (cancelled) {
            return;
        }
        // Each step that leaves the output not ready returns; the container calls again when ready.
        if (step == Step.WRITE) {
            step = Step.FLUSH;
            output.write(buffer, offset, length);
            if (!output.isReady()) {
                return;
            }
        }
        if (step == Step.FLUSH && !flushEachPiece) {
            step = Step.FLUSHING;
        }
        if (step == Step.FLUSH) {
            step = Step.FLUSHING;
            output.flush();
            if (!output.isReady()) {
                return;
            }
        }
        if (step == Step.FLUSHING) {
            step = Step.IDLE;
            succeed();
        }
    }

    private void succeed() {
        // Reset first: the callback may hand over the next piece before it returns.
        Callback done = callback;
        buffer = null;
        callback = null;
        done.succeeded();
    }

    /** The client connection failed: abort the upstream exchange, marked as the client's fault. */
    @Override
    public void onError(Throwable failure) {
        ClientAbortException clientFailure = new ClientAbortException(failure);
        Callback failed = callback;
        callback = null;
        step = Step.IDLE;
        if (failed != null) {
            failed.failed(clientFailure);
        }
        serverResponse.abort(clientFailure);
    }
}
