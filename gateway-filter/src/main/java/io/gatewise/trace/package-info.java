/**
 * Tracing with OpenTelemetry: a server span per request and a client span per upstream attempt,
 * each attempt's classified failure on its span, the trace id on every failure's record. Spans
 * start as the request and each attempt start (an attempt's {@code traceparent} names its own
 * span) and end when the exchange's record is read. {@link io.gatewise.trace.Tracing} is the one
 * entry; the exporter is OpenTelemetry's own, behind a bounded queue whose drops are counted.
 */
package io.gatewise.trace;
