package io.gatewise.metrics;

import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.exchange.ExchangeTrace;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Gives the Prometheus registry the trace of the exchange record being read, so the request
 * latency histogram's buckets carry exemplars with the trace id: a slow bucket links to a trace.
 * Only a trace the gateway's spans recorded (sampled) is offered. Exemplars appear in the
 * OpenMetrics format, which {@code /metrics} serves to a scraper that asks for it.
 */
final class TraceExemplars implements SpanContext {
    @Override
    public String getCurrentTraceId() {
        ExchangeTrace trace = ExchangeReaders.readingTrace();
        return trace.sampled() ? trace.traceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        ExchangeTrace trace = ExchangeReaders.readingTrace();
        return trace.sampled() ? trace.spanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        return ExchangeReaders.readingTrace().sampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // The span is the gateway's own and ends as the record is read: nothing to mark.
    }
}
