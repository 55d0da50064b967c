package io.gatewise.trace;

import io.gatewise.config.TracingConfig;
import io.gatewise.failure.OperatorDetail;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own OpenTelemetry SDK, for a gateway whose application brings none: spans go
 * through OpenTelemetry's batch processor (a bounded queue, batches sent by one thread of its own,
 * so a request never waits on the collector) to its OTLP/HTTP exporter.
 *
 * <p>Built by OpenTelemetry's autoconfiguration, so the standard {@code OTEL_*} environment
 * variables and {@code otel.*} system properties set what the {@code tracing} section does not
 * name; what it names wins. Only spans are exported: the SDK's metrics and logs are off.
 *
 * <p>Spans lost are counted ({@link #droppedSpans()}): those the full queue refused (read from the
 * batch processor's own telemetry, kept in process) and those whose export failed.
 */
final class ExportingSdk implements AutoCloseable {
    /** How long closing waits for the queue to be sent. */
    private static final long CLOSE_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ExportingSdk.class);
    /** At most one line per this many milliseconds about failed exports. */
    private static final long FAILURE_LINE_MILLIS = 60_000;
    /**
     * The OTLP exporters' own logger, which writes a stack trace for each failed export: quieted,
     * since the gateway says it in one line of its own ({@link CountingExporter}). Held here, as
     * java.util.logging keeps a logger's level only while someone references it.
     */
    private static final java.util.logging.Logger[] EXPORTER_LOGS = {
        java.util.logging.Logger.getLogger("io.opentelemetry.exporter.otlp.internal.HttpExporter"),
        java.util.logging.Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")};

    private final OpenTelemetrySdk sdk;
    private final RatioSampler sampler;
    private final ProcessorTelemetry telemetry = new ProcessorTelemetry();
    private final LongAdder failedExports = new LongAdder();
    private final AtomicLong lastFailureLine = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder failedSinceLine = new LongAdder();
    /** Where spans go, as the failure line names it. */
    private final String endpoint;

    ExportingSdk(TracingConfig config, String gatewayName) {
        this.sampler = new RatioSampler(config.samplingRatio());
        this.endpoint = config.endpoint().map(Object::toString).orElse("the OTEL_EXPORTER_OTLP_* endpoint");
        for (java.util.logging.Logger log : EXPORTER_LOGS) {
            log.setLevel(java.util.logging.Level.OFF);
        }
        this.sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(config, gatewayName))
                .addPropertiesCustomizer(properties -> named(config))
                .addSamplerCustomizer((configured, properties) -> sampler)
                .addSpanExporterCustomizer((exporter, properties) -> new CountingExporter(exporter))
                .addMeterProviderCustomizer((builder, properties) -> builder.registerMetricReader(telemetry))
                .setServiceClassLoader(ExportingSdk.class.getClassLoader())
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /** The values the environment may override: OTLP over HTTP, spans only, the gateway's name. */
    private static Map<String, String> defaults(TracingConfig config, String gatewayName) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.service.name", gatewayName);
        defaults.put("otel.propagators", "tracecontext");
        // Each export encodes into buffers reused from the last, rather than new ones per batch.
        defaults.put("otel.java.exporter.memory_mode", "reusable_data");
        return defaults;
    }

    /** The values the tracing section names, which win over the environment's. */
    private static Map<String, String> named(TracingConfig config) {
        Map<String, String> named = new HashMap<>();
        config.endpoint().ifPresent(uri -> named.put("otel.exporter.otlp.traces.endpoint", uri.toString()));
        config.serviceName().ifPresent(name -> named.put("otel.service.name", name));
        if (!config.headers().isEmpty()) {
            // The property is a comma-separated list of key=value whose values are percent-decoded:
            // encoded, a value keeps its commas, equals signs, plus signs and percent signs.
            named.put("otel.exporter.otlp.traces.headers", config.headers().entrySet().stream()
                    .map(header -> header.getKey() + "=" + URLEncoder.encode(header.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining(",")));
        }
        // The section's exporter is OTLP over HTTP: the only sender the gateway ships.
        named.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
        named.put("otel.traces.exporter", "otlp");
        named.put("otel.bsp.max.queue.size", Integer.toString(config.queueSize()));
        named.put("otel.bsp.max.export.batch.size", Integer.toString(Math.min(512, config.queueSize())));
        return named;
    }

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    RatioSampler sampler() {
        return sampler;
    }

    /** @return spans lost since start: refused by the full queue, or in an export that failed */
    long droppedSpans() {
        return telemetry.queueDrops() + failedExports.sum();
    }

    /** Sends what is queued, for up to {@value #CLOSE_SECONDS} seconds, and stops. */
    @Override
    public void close() {
        sdk.shutdown().join(CLOSE_SECONDS, TimeUnit.SECONDS);
    }

    /** Counts the spans of every export that fails (the collector down, slow past its timeout, or refusing). */
    private final class CountingExporter implements SpanExporter {
        private final SpanExporter delegate;

        CountingExporter(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            int count = spans.size();
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (!result.isSuccess()) {
                    failedExports.add(count);
                    failed(count, result.getFailureThrowable());
                }
            });
            return result;
        }

        /** Says that spans were lost, at most once a minute, with how many since the last line. */
        private void failed(int count, Throwable failure) {
            failedSinceLine.add(count);
            long now = System.nanoTime() / 1_000_000;
            long last = lastFailureLine.get();
            if (last != Long.MIN_VALUE && now - last < FAILURE_LINE_MILLIS || !lastFailureLine.compareAndSet(last, now)) {
                return;
            }
            LOG.warn("Tracing: {} span(s) not exported to {} ({}); they count in gatewise_tracing_spans_dropped_total,"
                    + " and the next such line comes in a minute at most", failedSinceLine.sumThenReset(), endpoint,
                    reason(failure));
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public String toString() {
            return "counting " + delegate;
        }
    }

    /** @return the failure's chain of causes, as the operator detail of a failure shows it */
    private static String reason(Throwable failure) {
        return failure == null ? "the collector refused them" : OperatorDetail.of(failure);
    }

    /**
     * The SDK's own telemetry, read in process when asked: how many spans the batch processor's
     * full queue refused. Both of its reporting forms are read (the legacy {@code processedSpans}
     * with {@code dropped=true}, and {@code otel.sdk.processor.span.processed} with
     * {@code error.type=queue_full}).
     */
    private static final class ProcessorTelemetry implements MetricReader {
        private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
        private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        long queueDrops() {
            long drops = 0;
            for (MetricData metric : registration.collectAllMetrics()) {
                if (metric.getType() != MetricDataType.LONG_SUM) {
                    continue;
                }
                boolean legacy = metric.getName().equals("processedSpans");
                if (!legacy && !metric.getName().equals("otel.sdk.processor.span.processed")) {
                    continue;
                }
                for (LongPointData point : metric.getLongSumData().getPoints()) {
                    if (legacy ? Boolean.TRUE.equals(point.getAttributes().get(DROPPED))
                            : "queue_full".equals(point.getAttributes().get(ERROR_TYPE))) {
                        drops += point.getValue();
                    }
                }
            }
            return drops;
        }

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
