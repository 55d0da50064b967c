package io.gatewise.trace;

import static io.gatewise.trace.SpanAttributes.CAUSE;
import static io.gatewise.trace.SpanAttributes.ERROR_TYPE;
import static io.gatewise.trace.SpanAttributes.HTTP_REQUEST_METHOD;
import static io.gatewise.trace.SpanAttributes.HTTP_REQUEST_RESEND_COUNT;
import static io.gatewise.trace.SpanAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.gatewise.trace.SpanAttributes.HTTP_ROUTE;
import static io.gatewise.trace.SpanAttributes.INCIDENT;
import static io.gatewise.trace.SpanAttributes.OUTCOME;
import static io.gatewise.trace.SpanAttributes.PHASE;
import static io.gatewise.trace.SpanAttributes.SERVER_ADDRESS;
import static io.gatewise.trace.SpanAttributes.SERVER_PORT;
import static io.gatewise.trace.SpanAttributes.UPSTREAM_STATE;
import static io.gatewise.trace.SpanAttributes.URL_FULL;
import static io.gatewise.trace.SpanAttributes.WEBSOCKET_CLOSE_CODE;
import static io.gatewise.trace.SpanAttributes.WEBSOCKET_INITIATOR;

import io.gatewise.exchange.AttemptRecord;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.failure.UpstreamFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;

/**
 * The spans of one exchange: its server span, from the request's start, and a client span per
 * upstream attempt, its child, from the attempt's start. Each attempt's {@code traceparent} names
 * the attempt's own span. All end when the exchange's record is read ({@link #end}), with the
 * times and the verdicts the record holds.
 */
public final class RequestSpans implements ExchangeTrace {
    private final Tracing tracing;
    private final Span server;
    private final Context context;
    private final String method;
    private final String traceId;
    /** The attempts' spans, by attempt number from 1. */
    private final List<AttemptSpan> attempts = new ArrayList<>(1);

    private record AttemptSpan(Span span, long startEpochNanos) {
    }

    RequestSpans(Tracing tracing, Span server, String method) {
        this.tracing = tracing;
        this.server = server;
        this.context = Context.root().with(server);
        this.method = method;
        this.traceId = server.getSpanContext().getTraceId();
    }

    /** @param route the route's configured path, which names the server span: {@code GET /api/} */
    public void routed(String route) {
        server.setAttribute(HTTP_ROUTE, route);
        server.updateName(SpanAttributes.spanName(method) + " " + route);
    }

    /**
     * Starts an attempt's span.
     *
     * @param number the attempt's number, from 1
     * @param origin its upstream's scheme, host and port
     * @param target the URL it requests, whose query the span leaves out
     * @param startNanos when it started, on the {@link System#nanoTime()} scale: its elapsed time
     *     in the record counts from then
     */
    public synchronized void attemptStarted(int number, URI origin, String target, long startNanos) {
        int query = target.indexOf('?');
        long start = tracing.epochNanos(startNanos);
        Span span = tracing.tracer().spanBuilder(SpanAttributes.spanName(method))
                .setSpanKind(SpanKind.CLIENT)
                .setParent(context)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .setAttribute(HTTP_REQUEST_METHOD, SpanAttributes.method(method))
                .setAttribute(SERVER_ADDRESS, origin.getHost())
                .setAttribute(SERVER_PORT, (long) (origin.getPort() > 0 ? origin.getPort()
                        : "https".equalsIgnoreCase(origin.getScheme()) ? 443 : 80))
                .setAttribute(URL_FULL, query < 0 ? target : target.substring(0, query))
                .startSpan();
        if (number > 1) {
            span.setAttribute(HTTP_REQUEST_RESEND_COUNT, number - 1L);
        }
        while (attempts.size() < number - 1) {
            attempts.add(null);
        }
        if (attempts.size() == number - 1) {
            attempts.add(new AttemptSpan(span, start));
        } else {
            attempts.set(number - 1, new AttemptSpan(span, start));
        }
    }

    /**
     * Sets the attempt's {@code traceparent} (and {@code tracestate}) on its request, in place of
     * the client's: the upstream's spans become children of the attempt's.
     *
     * @param number the attempt's number
     * @param headers the attempt's request headers
     */
    public synchronized void propagate(int number, HttpFields.Mutable headers) {
        headers.remove(TraceParents.HEADER);
        headers.remove("tracestate");
        AttemptSpan attempt = number <= attempts.size() ? attempts.get(number - 1) : null;
        Context parent = attempt == null ? context : context.with(attempt.span());
        tracing.propagator().inject(parent, headers, (carrier, key, value) -> carrier.put(key, value));
    }

    /** Ends every span with what the record says: the attempts' verdicts, the exchange's status and failure. */
    synchronized void end(ExchangeRecord record) {
        UpstreamFailure failure = record.failure().orElse(null);
        for (AttemptRecord attempt : record.attempts()) {
            AttemptSpan span = attempt.number() <= attempts.size() ? attempts.get(attempt.number() - 1) : null;
            if (span != null) {
                endAttempt(span, attempt, failure);
                attempts.set(attempt.number() - 1, null);
            }
        }
        for (AttemptSpan left : attempts) {
            if (left != null) {
                left.span().end();
            }
        }
        attempts.clear();
        server.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) record.status());
        if (failure != null) {
            server.setAttribute(ERROR_TYPE, failure.type().token());
            server.setAttribute(CAUSE, failure.cause().token());
            server.setAttribute(PHASE, failure.phase().token());
            server.setAttribute(INCIDENT, failure.incident());
            server.setStatus(StatusCode.ERROR, failure.reason());
        } else if (record.status() >= 500) {
            server.setAttribute(ERROR_TYPE, Integer.toString(record.status()));
            server.setStatus(StatusCode.ERROR);
        }
        record.webSocket().ifPresent(close -> {
            server.setAttribute(WEBSOCKET_CLOSE_CODE, (long) close.code());
            server.setAttribute(WEBSOCKET_INITIATOR, close.initiator());
        });
        // Now, as the record is read when it is written: its duration counts from the routing, after the span's start.
        server.end(tracing.epochNanos(System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static void endAttempt(AttemptSpan attemptSpan, AttemptRecord attempt, UpstreamFailure failure) {
        Span span = attemptSpan.span();
        if (attempt.status() > 0) {
            span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) attempt.status());
        }
        switch (attempt.outcome()) {
            case FAILED -> {
                // A status the route retried on is the status, as the conventions have it; else the RFC 9209 type.
                span.setAttribute(ERROR_TYPE, attempt.cause() == null && attempt.status() > 0
                        ? Integer.toString(attempt.status()) : attempt.errorType());
                if (attempt.cause() != null) {
                    span.setAttribute(CAUSE, attempt.cause());
                    span.setAttribute(PHASE, attempt.phase());
                }
                if (attempt.upstreamState() != null) {
                    span.setAttribute(UPSTREAM_STATE, attempt.upstreamState());
                }
                if (failure != null) {
                    span.setAttribute(INCIDENT, failure.incident());
                }
                span.setStatus(StatusCode.ERROR, attempt.errorType());
            }
            case ABANDONED -> span.setAttribute(OUTCOME, attempt.outcome().token());
            case SUCCEEDED -> {
                if (attempt.status() >= 500) {
                    span.setAttribute(ERROR_TYPE, Integer.toString(attempt.status()));
                    span.setStatus(StatusCode.ERROR);
                }
            }
        }
        span.end(attemptSpan.startEpochNanos() + attempt.elapsedNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String traceId() {
        return traceId;
    }

    @Override
    public String spanId() {
        return server.getSpanContext().getSpanId();
    }

    @Override
    public boolean sampled() {
        return server.getSpanContext().isSampled();
    }

    @Override
    public String toString() {
        return "trace " + traceId;
    }
}
