package io.gatewise.trace;

import io.gatewise.exchange.ExchangeTrace;

/**
 * With tracing off, the trace a client's {@code traceparent} named: it reached the upstream
 * untouched, so the upstream's own spans are in it.
 *
 * @param traceId the trace id
 */
record IncomingTrace(String traceId) implements ExchangeTrace {
}
