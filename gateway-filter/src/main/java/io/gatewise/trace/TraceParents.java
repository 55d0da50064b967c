package io.gatewise.trace;

import io.gatewise.exchange.ExchangeTrace;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * W3C Trace Context's {@code traceparent}, read without tracing: the trace a request belongs to
 * when the gateway makes no spans of its own.
 */
public final class TraceParents {
    /** The header. */
    public static final String HEADER = "traceparent";

    private static final int VERSION_00_LENGTH = 55;

    private TraceParents() {
    }

    /**
     * @param value a {@code traceparent} value, or null
     * @return its trace id (32 lower-case hex digits); null when it is malformed, or names the
     *     invalid all-zero trace or parent
     */
    public static String traceId(String value) {
        if (value == null || value.length() < VERSION_00_LENGTH) {
            return null;
        }
        String version = value.substring(0, 2);
        boolean version00 = version.equals("00");
        if (!isLowerHex(value, 0, 2) || version.equals("ff") || version00 && value.length() != VERSION_00_LENGTH
                || !version00 && value.length() > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-'
                || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
                || !isLowerHex(value, 3, 35) || !isLowerHex(value, 36, 52) || !isLowerHex(value, 53, 55)
                || isZeros(value, 3, 35) || isZeros(value, 36, 52)) {
            return null;
        }
        return value.substring(3, 35);
    }

    /**
     * The trace a request that the proxy did not serve belongs to (a failure of the application's
     * own servlets): the gateway's, if the request passed it; else the application's current span
     * (its own tracing, or the OpenTelemetry agent's); else the client's {@code traceparent}.
     *
     * @param request the request
     * @return its trace id; empty when it is in none
     */
    public static String of(HttpServletRequest request) {
        Object known = request.getAttribute(ExchangeTrace.TRACE_ID_ATTRIBUTE);
        if (known instanceof String id) {
            return id;
        }
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            return current.getTraceId();
        }
        String incoming = traceId(request.getHeader(HEADER));
        return incoming == null ? "" : incoming;
    }

    private static boolean isLowerHex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZeros(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
