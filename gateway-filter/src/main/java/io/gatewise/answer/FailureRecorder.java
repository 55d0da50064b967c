package io.gatewise.answer;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.observe.FailureEvents;
import io.gatewise.observe.FailureLog;
import io.gatewise.trace.TraceParents;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;

/**
 * Records a failure into the request's attributes, and carries the {@link FailureResponses} that
 * answer it and the {@link ExchangeReaders} its exchange record goes to. A proxied request's
 * failure reaches the readers in its exchange record, when the exchange ends; a failure of the
 * application's own servlets ({@link #recordApplicationFailure}, from {@code FailureCauseFilter})
 * ends a record of its own at once. The proxy and the filter both record through the one recorder
 * of their web application, kept as a context attribute: the gateway publishes its own when it
 * starts.
 */
public final class FailureRecorder {
    /** The servlet context attribute that holds the web application's recorder. */
    public static final String CONTEXT_ATTRIBUTE = FailureRecorder.class.getName();
    /** The {@code Proxy-Status} member name of a web application without a gateway. */
    public static final String DEFAULT_NAME = "gatewise";

    private final ExchangeReaders readers;
    private final FailureResponses responses;

    private FailureRecorder(ExchangeReaders readers, FailureResponses responses) {
        this.readers = Objects.requireNonNull(readers, "readers");
        this.responses = Objects.requireNonNull(responses, "responses");
    }

    /**
     * @param readers where exchange records go
     * @param responses how failures are answered
     * @return a recorder
     */
    public static FailureRecorder of(ExchangeReaders readers, FailureResponses responses) {
        return new FailureRecorder(readers, responses);
    }

    /** @return a recorder that logs each failure, one line each, and answers with the built-in pages */
    public static FailureRecorder logging() {
        return of(ExchangeReaders.of(List.of(new FailureEvents(List.of(new FailureLog())))),
                FailureResponses.create(DEFAULT_NAME, ErrorPagesConfig.defaults()));
    }
    /**
     * @param context a web application's context
     * @return its recorder; one that logs, installed now, if it had none
     */
    public static FailureRecorder of(ServletContext context) {
        Object recorder = context.getAttribute(CONTEXT_ATTRIBUTE);
        if (recorder instanceof FailureRecorder) {
            return (FailureRecorder) recorder;
        }
        synchronized (context) {
            recorder = context.getAttribute(CONTEXT_ATTRIBUTE);
            if (recorder instanceof FailureRecorder) {
                return (FailureRecorder) recorder;
            }
            FailureRecorder created = logging();
            context.setAttribute(CONTEXT_ATTRIBUTE, created);
            return created;
        }
    }

    /**
     * Publishes a recorder as its web application's, replacing any there was.
     *
     * @param context the web application's context
     */
    public void publish(ServletContext context) {
        synchronized (context) {
            context.setAttribute(CONTEXT_ATTRIBUTE, this);
        }
    }

    /** @return how failures recorded here are answered */
    public FailureResponses responses() {
        return responses;
    }

    /**
     * Sets the failure's request attributes, with the trace the request belongs to. The readers
     * get it with the request's exchange record, when the exchange ends.
     *
     * @param request the request that failed
     * @param failure the failure
     * @return the failure as recorded, in the request's trace: the one to answer with
     */
    public UpstreamFailure record(HttpServletRequest request, UpstreamFailure failure) {
        UpstreamFailure recorded = inTrace(request, failure);
        FailureAttributes.set(request, recorded);
        return recorded;
    }

    /**
     * @return the failure in the request's trace: the gateway's, the application's current span's
     *     (its own tracing, or the OpenTelemetry agent's), or the one the client's {@code traceparent} named
     */
    private static UpstreamFailure inTrace(HttpServletRequest request, UpstreamFailure failure) {
        String traceId = TraceParents.of(request);
        if (!traceId.isEmpty()) {
            request.setAttribute(ExchangeTrace.TRACE_ID_ATTRIBUTE, traceId);
        }
        return failure.inTrace(traceId);
    }

    /**
     * Sets the failure's request attributes and ends the request's exchange record at once: a
     * failure of the application's own servlets, which the gateway did not proxy.
     *
     * @param request the request that failed
     * @param traceless the failure, which the request's trace is added to
     * @return the failure as recorded, in the request's trace: the one to answer with
     */
    public UpstreamFailure recordApplicationFailure(HttpServletRequest request, UpstreamFailure traceless) {
        UpstreamFailure failure = inTrace(request, traceless);
        FailureAttributes.set(request, failure);
        ExchangeRecord record = ExchangeRecord.ofApplicationFailure(failure, readers.unrouted(), request.getMethod(),
                request.getRequestURI(), request.getRemoteAddr());
        request.setAttribute(ExchangeRecord.ATTRIBUTE, record);
        readers.ended(record);
        return failure;
    }
}
