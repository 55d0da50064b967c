package io.gatewise.client;

import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ResponseLimitException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Follows one proxy-to-server exchange through its phases, so a failure can be classified by how
 * far it came; and enforces the response limits the gateway owns (header section and body size),
 * failing the exchange with a {@link ResponseLimitException} that says which limit.
 *
 * <p>Jetty's request and response events may arrive on different threads and slightly out of
 * order (request success after the response began); the phase only ever moves forward.
 */
public final class ExchangeTracker implements Request.Listener, Response.BeginListener, Response.HeaderListener,
        Response.HeadersListener, Response.ContentListener {
    /** Bytes of a status line and the blank line that ends the header section. */
    private static final int STATUS_LINE_AND_END = 32;

    private final long startNanos = System.nanoTime();
    /** No whole-exchange bound: every timeout is then an idle one. */
    public static final Duration NO_BOUND = Duration.ofSeconds(Long.MAX_VALUE);

    private volatile Duration responseTimeout;
    private final long maxHeaderSection;
    private final long maxBody;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.CONNECT);
    private volatile int receivedStatus;
    private volatile boolean headWriteStarted;
    private long headerSection = STATUS_LINE_AND_END;
    private long body;

    /**
     * @param responseTimeout the route's response timeout
     * @param maxHeaderSection the largest response header section accepted, in bytes
     * @param maxBody the largest response body accepted, in bytes; negative for no limit
     */
    public ExchangeTracker(Duration responseTimeout, long maxHeaderSection, long maxBody) {
        this.responseTimeout = responseTimeout;
        this.maxHeaderSection = maxHeaderSection;
        this.maxBody = maxBody;
    }

    /**
     * Sets the whole-exchange bound the attempt is sent with, when it is not the route's response
     * timeout: a gRPC call's own deadline, or {@link #NO_BOUND}.
     *
     * @param bound the bound
     */
    public void bound(Duration bound) {
        this.responseTimeout = bound;
    }

    /**
     * @return the state to classify a failure with. A head whose write began is at least being
     *     sent, even when a close or reset overtook Jetty's report that it was written.
     */
    public ExchangeState state() {
        Phase current = phase.get();
        if (current == Phase.CONNECT && headWriteStarted) {
            current = Phase.SEND;
        }
        return new ExchangeState(current, elapsed(), responseTimeout);
    }

    /** @return time since the exchange was created, just before it was sent */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos());
    }

    /** @return when it was created, on the {@link System#nanoTime()} scale */
    public long startNanos() {
        return startNanos;
    }

    /** @return time since it started, in nanoseconds */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    private void advance(Phase next) {
        phase.accumulateAndGet(next, (current, candidate) -> candidate.compareTo(current) > 0 ? candidate : current);
    }

    /** @return the status line's code the upstream sent, or null if none arrived */
    public Integer receivedStatus() {
        return receivedStatus > 0 ? receivedStatus : null;
    }

    /**
     * @return whether the request head has begun to be written: the upstream may have read it
     *     even if the write's completion ({@link #onCommit}) was never reported, because a reset
     *     can overtake that callback
     */
    public boolean headWriteStarted() {
        return headWriteStarted;
    }

    @Override
    public void onHeaders(Request request) {
        headWriteStarted = true;
    }

    @Override
    public void onCommit(Request request) {
        // The request head is on the wire. (A TLS handshake runs before this, on the first write.)
        advance(Phase.SEND);
    }

    @Override
    public void onSuccess(Request request) {
        // Jetty may report the request sent after the response has begun: never move back.
        advance(Phase.AWAIT_HEADERS);
    }

    @Override
    public void onBegin(Response response) {
        // Jetty replaces the status if the header section then fails to parse: keep the upstream's.
        receivedStatus = response.getStatus();
        advance(Phase.HEADERS);
    }

    @Override
    public boolean onHeader(Response response, HttpField field) {
        headerSection += field.getName().length() + field.getValue().length() + 4;
        if (headerSection > maxHeaderSection) {
            response.abort(ResponseLimitException.headerSection(headerSection, maxHeaderSection));
        }
        return true;
    }

    /**
     * Checks the upstream's trailer section, which arrives with the end of the response, against
     * the limit of its header section, measured the same way.
     *
     * @param response the upstream's response, complete
     * @return the failure if the trailer section is over the limit; null otherwise
     */
    public ResponseLimitException trailerSectionOverLimit(Response response) {
        HttpFields trailers = response.getTrailers();
        if (trailers == null) {
            return null;
        }
        long size = 0;
        for (HttpField field : trailers) {
            size += field.getName().length() + field.getValue().length() + 4;
        }
        return size > maxHeaderSection ? ResponseLimitException.trailerSection(size, maxHeaderSection) : null;
    }

    @Override
    public void onHeaders(Response response) {
        advance(Phase.BODY);
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (maxBody >= 0 && length > maxBody) {
            response.abort(ResponseLimitException.body(length, maxBody));
        }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        body += content.remaining();
        if (maxBody >= 0 && body > maxBody) {
            response.abort(ResponseLimitException.body(body, maxBody));
        }
    }
}
