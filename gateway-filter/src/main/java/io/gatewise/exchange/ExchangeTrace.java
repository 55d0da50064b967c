package io.gatewise.exchange;

/**
 * The trace an exchange belongs to, as its record carries it: what logs, pages and meters show of
 * it. Tracing keeps the spans behind it; with tracing off it is {@link #NONE}, or the trace a
 * client's {@code traceparent} named (which passed to the upstream untouched).
 */
public interface ExchangeTrace {
    /** The request attribute that holds the exchange's trace from the request's start. */
    String ATTRIBUTE = "io.gatewise.trace";
    /**
     * The request attribute that holds its trace id (32 lower-case hex digits), when it has one:
     * for access logs ({@code %{io.gatewise.trace.id}attr}), JSPs and other filters.
     */
    String TRACE_ID_ATTRIBUTE = "io.gatewise.trace.id";

    /** No trace. */
    ExchangeTrace NONE = new ExchangeTrace() {
        @Override
        public String traceId() {
            return "";
        }

        @Override
        public String toString() {
            return "no trace";
        }
    };

    /** @return the trace id, 32 lower-case hex digits; empty for none */
    String traceId();

    /** @return the id of the gateway's span for the exchange, 16 hex digits; empty when it made none */
    default String spanId() {
        return "";
    }

    /** @return whether the exchange's spans are recorded and sent */
    default boolean sampled() {
        return false;
    }
}
