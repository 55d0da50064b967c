package io.gatewise.proxy;

import io.gatewise.answer.FailureAttributes;
import io.gatewise.exchange.AttemptRecord;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.exchange.RouteHandle;
import io.gatewise.exchange.WebSocketClose;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.route.Route;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;

/**
 * The one place a request the proxy served ends, once: its current attempt ends without a verdict
 * if it had not ended, it leaves the exchanges in flight, and its {@link ExchangeRecord} is
 * written, kept as a request attribute and given to the readers.
 *
 * <p>A request that goes to no upstream ends just before its answer is written
 * ({@link #rejected}); one whose {@code service} fails, as it fails ({@link #failed}). An exchange
 * ends when the proxy settles its answer ({@link #now}, {@link #succeeded}): just before the gateway's own answer is written (so the failure is in the record,
 * the log and the recent failures before the client can read it, and while the request is still
 * the container's to read: an aborted response may recycle it), or as the upstream's answer is
 * complete. Should the container complete it first (its own timeout, an error, a server that
 * stops), it ends when its asynchronous cycle completes ({@link #follow}).
 */
final class ExchangeEnd implements AsyncListener {
    private final ProxyRuntime runtime;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Exchange exchange;

    private ExchangeEnd(ProxyRuntime runtime, HttpServletRequest request, HttpServletResponse response,
            Exchange exchange) {
        this.runtime = runtime;
        this.request = request;
        this.response = response;
        this.exchange = exchange;
    }

    /**
     * Follows an exchange from the moment its asynchronous cycle starts, before its first attempt
     * is sent: should the container complete the cycle first, the exchange ends then.
     *
     * @param runtime the gateway
     * @param request the client's request, whose asynchronous cycle has started
     * @param response the client's response
     * @param exchange the request's exchange
     */
    static void follow(ProxyRuntime runtime, HttpServletRequest request, HttpServletResponse response,
            Exchange exchange) {
        request.getAsyncContext().addListener(new ExchangeEnd(runtime, request, response, exchange));
    }

    /**
     * Ends an exchange whose answer the proxy settles now, unless it has ended already. Called
     * before the answer is written (or, for the upstream's answer, before it completes): the
     * request must still be readable.
     *
     * @param runtime the gateway
     * @param request the client's request
     * @param exchange the request's exchange
     * @param status the status the client gets (or got, when the response had begun)
     */
    static void now(ProxyRuntime runtime, HttpServletRequest request, Exchange exchange, int status) {
        if (exchange.markEnded()) {
            end(runtime, request, exchange, status, FailureAttributes.get(request));
        }
    }

    /** As {@link #now}, for an exchange the upstream answered: no failure to look up. */
    static void succeeded(ProxyRuntime runtime, HttpServletRequest request, Exchange exchange, int status) {
        if (exchange.markEnded()) {
            end(runtime, request, exchange, status, Optional.empty());
        }
    }

    private static void end(ProxyRuntime runtime, HttpServletRequest request, Exchange exchange, int status,
            Optional<UpstreamFailure> failure) {
        try {
            exchange.attemptAbandoned();
        } finally {
            runtime.inFlight().remove(exchange);
        }
        write(runtime, request, exchange.route().handle(), status, exchange.startNanos(), exchange.attemptRecords(),
                exchange.retryBudgetExhausted(), failure);
    }

    /**
     * Ends a request that goes to no upstream, just before its answer is written.
     *
     * @param status the status it is answered with
     */
    static void rejected(ProxyRuntime runtime, HttpServletRequest request, Rejection rejection, int status) {
        write(runtime, request, handle(runtime, rejection.route()), status, rejection.startNanos(), List.of(), false,
                FailureAttributes.get(request));
    }

    /**
     * Ends a request whose {@code service} failed (the container answers it with a 500), unless it
     * ended already.
     *
     * @param startNanos when {@code service} began, on the {@link System#nanoTime()} scale
     */
    static void failed(ProxyRuntime runtime, HttpServletRequest request, long startNanos) {
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object routed = request.getAttribute(Routed.ATTRIBUTE);
        if (routed instanceof Exchange exchange) {
            now(runtime, request, exchange, status);
        } else if (request.getAttribute(ExchangeRecord.ATTRIBUTE) == null) {
            write(runtime, request, handle(runtime, routed instanceof Rejection rejection ? rejection.route() : null),
                    status, startNanos, List.of(), false, FailureAttributes.get(request));
        }
    }

    /**
     * Takes an exchange upgraded to a WebSocket out of the exchanges in flight (its session is
     * counted among the open sessions from now on) and keeps what its record needs: the request
     * itself is gone once the session runs.
     *
     * @param runtime the gateway
     * @param request the client's request, just upgraded
     * @param exchange the request's exchange
     * @return how to end it when the session ends
     */
    static Upgraded upgraded(ProxyRuntime runtime, HttpServletRequest request, Exchange exchange) {
        runtime.inFlight().remove(exchange);
        return new Upgraded(runtime, exchange, request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                trace(request));
    }

    /**
     * How an exchange upgraded to a WebSocket ends: its record, with status {@code 101}, the
     * session's whole duration and how it closed, once the session ends.
     */
    record Upgraded(ProxyRuntime runtime, Exchange exchange, String method, String path, String client,
            ExchangeTrace trace) {
        /**
         * @param close how the session closed
         * @param failure the upstream's loss, when the session ended with it
         */
        void end(WebSocketClose close, Optional<UpstreamFailure> failure) {
            if (!exchange.markEnded()) {
                return;
            }
            ExchangeRecord record = new ExchangeRecord(exchange.route().handle(), method, path,
                    failure.isPresent() ? client : null, HttpServletResponse.SC_SWITCHING_PROTOCOLS,
                    System.nanoTime() - exchange.startNanos(), exchange.attemptRecords(),
                    exchange.retryBudgetExhausted(), failure.map(lost -> lost.inTrace(trace.traceId())), true,
                    Optional.of(close), trace);
            runtime.readers().ended(record);
        }
    }

    /** @return the request's trace, as tracing began it */
    private static ExchangeTrace trace(HttpServletRequest request) {
        return request.getAttribute(ExchangeTrace.ATTRIBUTE) instanceof ExchangeTrace trace ? trace : ExchangeTrace.NONE;
    }

    private static RouteHandle handle(ProxyRuntime runtime, Route route) {
        return route != null ? route.handle() : runtime.readers().unrouted();
    }

    /**
     * Writes the record, keeps it as a request attribute and gives it to the readers. The client's
     * address is formatted (per call, by the container) only for a record with a failure, which
     * reports it.
     */
    private static void write(ProxyRuntime runtime, HttpServletRequest request, RouteHandle route, int status,
            long startNanos, List<AttemptRecord> attempts, boolean retryBudgetExhausted,
            Optional<UpstreamFailure> failure) {
        ExchangeRecord record = new ExchangeRecord(route, request.getMethod(), request.getRequestURI(),
                failure.isPresent() ? request.getRemoteAddr() : null, status, System.nanoTime() - startNanos,
                attempts, retryBudgetExhausted, failure, true, Optional.empty(), trace(request));
        request.setAttribute(ExchangeRecord.ATTRIBUTE, record);
        runtime.readers().ended(record);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        now(runtime, request, exchange, response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // onComplete follows.
    }

    @Override
    public void onError(AsyncEvent event) {
        // onComplete follows.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not started again.
    }
}
