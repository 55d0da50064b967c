package io.gatewise.proxy;

import io.gatewise.client.ExchangeTracker;
import io.gatewise.exchange.AttemptRecord;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.failure.Attempt;
import io.gatewise.failure.Classification;
import io.gatewise.failure.GatewayStoppingException;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.OperatorDetail;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.route.Route;
import io.gatewise.trace.RequestSpans;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.Lease;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Callback;

/**
 * One client request on its way through a route: the {@link UpstreamAttempt} under way, the
 * records of those that ended, and the one place its {@link UpstreamFailure} is built. When the
 * request ends, {@link ExchangeEnd} writes its {@link ExchangeRecord} from what is here. Used by
 * one request at a time, except that a stopping gateway may end it from another thread
 * ({@link #endAtShutdown}).
 */
final class Exchange implements Routed {
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Exchange.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Snapshot snapshot;
    private final Route route;
    private final String rawPath;
    private final String rawQuery;
    private final long startNanos = System.nanoTime();
    private Set<Endpoint> tried;
    /** The failed attempts, as the failure lists them. */
    private final List<Attempt> failedAttempts = new ArrayList<>(1);
    /** Every attempt that ended, as the exchange record lists them. */
    private final List<AttemptRecord> endedAttempts = new ArrayList<>(1);
    /** Whether the exchange has ended: its record is written once. */
    @SuppressWarnings("unused")
    private volatile boolean ended;
    private UpstreamAttempt attempt;
    private ReplayableBody body;
    private Lease pendingRetry;
    private int interceptedStatus;
    private boolean retryBudgetExhausted;
    private volatile FlushingResponseWriter writer;
    private volatile GatewayStoppingException stopped;
    /** Its spans; null when tracing is off. */
    private final RequestSpans spans;

    /**
     * @param snapshot the gateway snapshot the request runs on, from start to end
     * @param route the route it matched
     * @param rawPath the request path within the gateway, percent-encoded, dot segments resolved
     * @param rawQuery the raw query string, or null
     * @param spans its spans; null when tracing is off
     */
    Exchange(Snapshot snapshot, Route route, String rawPath, String rawQuery, RequestSpans spans) {
        this.snapshot = snapshot;
        this.spans = spans;
        this.route = route;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
    }

    /**
     * Starts an attempt under a lease.
     *
     * @param next the lease on the attempt's upstream
     * @return the upstream URL of the attempt
     */
    String begin(Lease next) {
        attempt = new UpstreamAttempt(attempt == null ? 1 : attempt.number() + 1, route, next, rawPath, rawQuery);
        if (spans != null) {
            spans.attemptStarted(attempt.number(), next.endpoint().origin(), attempt.target(),
                    attempt.tracker().startNanos());
        }
        return attempt.target();
    }

    /**
     * Creates the proxy-to-server request of the current attempt.
     *
     * @param client the route's client
     * @param method the client request's method
     * @return the request, not sent
     */
    Request newProxyRequest(HttpClient client, String method) {
        return attempt.newRequest(client, route, method);
    }

    /**
     * Takes note of the proxy-to-server request of the current attempt, which is about to be sent;
     * aborts it at once if the gateway has ended the exchange already.
     *
     * @param request the attempt's request
     */
    void sending(Request request) {
        attempt.sending(request);
        GatewayStoppingException reason = stopped;
        if (reason != null) {
            request.abort(reason);
        }
    }

    /**
     * Ends the exchange because the gateway is stopping, from any thread: aborts its current
     * attempt (one not sent yet fails as soon as it is), so the exchange ends through the proxy's
     * failure path like any other failure. Ending it twice does nothing more.
     *
     * @param reason the abort's cause
     */
    void endAtShutdown(GatewayStoppingException reason) {
        stopped = reason;
        UpstreamAttempt current = attempt;
        Request request = current == null ? null : current.proxyRequest();
        if (request != null) {
            request.abort(reason);
        }
    }

    /**
     * Ends the current attempt with a failure on its upstream, once.
     *
     * @param reason the lease's verdict: the RFC 9209 type, or {@code received-status=N}
     * @param errorType the failure as the metrics label it
     * @param classification how it failed; null for an error status the route retries on
     */
    void attemptFailed(String reason, String errorType, Classification classification) {
        if (attempt.lease().failed(reason)) {
            endedAttempts.add(attempt.record(AttemptRecord.Outcome.FAILED, errorType, classification));
        }
    }

    /**
     * Sets the current attempt's trace context on its request, when tracing is on; otherwise the
     * client's {@code traceparent} and {@code tracestate} pass as they came.
     *
     * @param headers the attempt's request headers
     */
    void propagate(HttpFields.Mutable headers) {
        if (spans != null) {
            spans.propagate(attempt.number(), headers);
        }
    }

    /** Ends the current attempt as answered by its upstream, once. */
    void attemptSucceeded() {
        if (attempt.lease().succeeded()) {
            endedAttempts.add(attempt.record(AttemptRecord.Outcome.SUCCEEDED, null, null));
        }
    }

    /** Ends the current attempt without a verdict on its upstream, if it has not ended. */
    void attemptAbandoned() {
        if (attempt.lease().abandoned()) {
            endedAttempts.add(attempt.record(AttemptRecord.Outcome.ABANDONED, null, null));
        }
    }

    /** @return every attempt that ended, in order */
    List<AttemptRecord> attemptRecords() {
        return endedAttempts;
    }

    /** @return true the first time only: the caller ends the exchange */
    boolean markEnded() {
        return ENDED.compareAndSet(this, false, true);
    }

    /** @return when the request was routed, on the {@link System#nanoTime()} scale */
    long startNanos() {
        return startNanos;
    }

    /** @return whether the route's retry budget refused a retry that was due */
    boolean retryBudgetExhausted() {
        return retryBudgetExhausted;
    }

    /** @return the upstream URL of the current attempt */
    String target() {
        return attempt.target();
    }

    /**
     * Records how the current attempt failed.
     *
     * @param classification the classification of the failure
     */
    void failed(Classification classification) {
        failedAttempts.add(new Attempt(lease().endpoint().nextHop(), classification.type(), classification.phase(),
                attempt.tracker().elapsed()));
    }

    /**
     * Records that the upstream of the current attempt answered with a status the route tries
     * elsewhere.
     *
     * @param status the status
     */
    void answered(int status) {
        failedAttempts.add(Attempt.answered(lease().endpoint().nextHop(), status, attempt.tracker().elapsed()));
    }

    /**
     * Leases the upstream for another attempt: one not tried yet, while the route's retry budget
     * lasts. Only a failed attempt asks, so the set of tried endpoints is kept from the first retry on.
     *
     * @return the lease; null if no upstream is left or the budget is spent
     */
    Lease nextAttempt() {
        if (tried == null) {
            tried = new HashSet<>();
        }
        tried.add(lease().endpoint());
        Lease next = route.pool().lease(tried);
        if (next != null && !route.retryBudget().tryRetry()) {
            next.released();
            retryBudgetExhausted = true;
            return null;
        }
        return next;
    }

    /**
     * Builds the failure the client is answered with, from the last attempt and those before it.
     *
     * @param classification how the last attempt failed
     * @param cause what it failed with, for the operator's detail
     * @param responseStarted whether the response had begun to reach the client
     * @return the failure
     */
    UpstreamFailure failure(Classification classification, Throwable cause, boolean responseStarted) {
        return failure(classification, cause, responseStarted, 0);
    }

    /**
     * As {@link #failure(Classification, Throwable, boolean)}, with a status of the gateway's choice.
     *
     * @param status the status to answer with; 0 for the one the type recommends
     */
    UpstreamFailure failure(Classification classification, Throwable cause, boolean responseStarted, int status) {
        UpstreamFailure.Builder failure = UpstreamFailure.builder(classification)
                .status(status)
                .route(route.config().path())
                .upstream(lease().endpoint().nextHop())
                .receivedStatus(attempt.tracker().receivedStatus())
                .elapsed(elapsed())
                .incident(IncidentIds.next())
                .detail(OperatorDetail.of(cause))
                .responseCommitted(responseStarted);
        failedAttempts.forEach(failure::attempt);
        return failure.build();
    }
    /** @param body the request body, kept to be sent with every attempt */
    void keep(ReplayableBody body) {
        this.body = body;
    }

    /** @return the kept request body; null when there is none or it streams through */
    ReplayableBody body() {
        return body;
    }

    /** @param next the lease the next attempt goes out under, once the current one has ended */
    void retryOn(Lease next) {
        pendingRetry = next;
    }

    /** @return the lease the next attempt goes out under, and forgets it; null if no retry is pending */
    Lease takePendingRetry() {
        Lease next = pendingRetry;
        pendingRetry = null;
        return next;
    }

    /** @param status an upstream error status the gateway answers with its own page instead */
    void intercept(int status) {
        interceptedStatus = status;
    }

    /** @return the intercepted upstream status; 0 when the upstream's answer passes through */
    int interceptedStatus() {
        return interceptedStatus;
    }

    /**
     * Passes a piece of the server-to-proxy response body to the client. The first piece installs
     * the writer, which puts the client's stream in non-blocking mode.
     *
     * @throws IOException if the client's stream fails at once
     */
    void writeBody(HttpServletResponse proxyResponse, Response serverResponse, byte[] buffer, int offset, int length,
            Callback callback) throws IOException {
        FlushingResponseWriter current = writer;
        if (current != null) {
            current.offer(buffer, offset, length, callback);
            return;
        }
        ServletOutputStream output = proxyResponse.getOutputStream();
        current = new FlushingResponseWriter(output, serverResponse);
        writer = current;
        current.next(buffer, offset, length, callback);
        // Setting the listener makes the container call onWritePossible(), maybe on another thread.
        output.setWriteListener(current);
    }

    /**
     * @return the writer of the upstream's body; null until its first piece. Once there is one,
     *     the client's stream is in non-blocking mode: no other attempt's answer may follow, but while
     *     nothing reached the client the gateway's own answer still replaces what was buffered
     */
    FlushingResponseWriter writer() {
        return writer;
    }

    /**
     * @return whether the upstream's body has begun to be written to the client: sent, or held in
     *     the container's buffer with the stream in non-blocking mode
     */
    boolean responseStarted(HttpServletResponse proxyResponse) {
        return proxyResponse.isCommitted() || writer != null;
    }

    /**
     * @param serverResponse the upstream's answer to the current attempt
     * @param clientRequest the client's request, which decides how much it may see
     * @return the gateway's member with {@code received-status}; in the full view after the
     *     upstream's own {@code Proxy-Status}, and with {@code next-hop}
     */
    String receivedProxyStatus(Response serverResponse, HttpServletRequest clientRequest) {
        return snapshot.recorder().responses().receivedProxyStatus(clientRequest,
                serverResponse.getHeaders().get(ProxyStatus.HEADER), lease().endpoint().nextHop(),
                serverResponse.getStatus());
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Route route() {
        return route;
    }

    /** @return the current attempt's proxy-to-server request; null before it is sent */
    Request proxyRequest() {
        return attempt.proxyRequest();
    }

    /** @return the lease of the current attempt */
    Lease lease() {
        return attempt.lease();
    }

    ExchangeTracker tracker() {
        return attempt.tracker();
    }

    /** @return the current attempt's number, from 1 */
    int attemptNumber() {
        return attempt.number();
    }

    /** @return the failed attempts, in order */
    List<Attempt> attempts() {
        return failedAttempts;
    }

    /** @return time since the first attempt began */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
