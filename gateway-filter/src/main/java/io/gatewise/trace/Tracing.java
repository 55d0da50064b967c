package io.gatewise.trace;

import static io.gatewise.trace.SpanAttributes.CLIENT_ADDRESS;
import static io.gatewise.trace.SpanAttributes.HTTP_REQUEST_METHOD;
import static io.gatewise.trace.SpanAttributes.HTTP_REQUEST_METHOD_ORIGINAL;
import static io.gatewise.trace.SpanAttributes.NETWORK_PROTOCOL_VERSION;
import static io.gatewise.trace.SpanAttributes.SERVER_ADDRESS;
import static io.gatewise.trace.SpanAttributes.SERVER_PORT;
import static io.gatewise.trace.SpanAttributes.URL_PATH;
import static io.gatewise.trace.SpanAttributes.URL_SCHEME;
import static io.gatewise.trace.SpanAttributes.USER_AGENT_ORIGINAL;

import io.gatewise.config.TracingConfig;
import io.gatewise.exchange.ExchangeTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's tracing: where each request's {@link ExchangeTrace} begins. Its spans end as the
 * exchange's record is read ({@link SpanEnds}).
 *
 * <p>Off (the default), it makes no span and leaves {@code traceparent} and {@code tracestate} to
 * pass through untouched; a request whose valid {@code traceparent} names a trace still carries
 * that trace's id to its record, so the failure log and pages show it. On, it makes spans with
 * the application's own {@link OpenTelemetry} when it was given one (an embedding's, or the
 * {@code GlobalOpenTelemetry} the application or the OpenTelemetry agent set), or else with an
 * SDK of its own that exports over OTLP/HTTP ({@link ExportingSdk}).
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    /** The instrumentation scope of the gateway's spans. */
    static final String SCOPE = "io.gatewise";

    private static final Tracing OFF = new Tracing(null, null, null, false);

    private static final TextMapGetter<HttpServletRequest> REQUEST_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final ExportingSdk sdk;
    private volatile boolean trustIncoming;
    private final long anchorEpochNanos;
    private final long anchorNanoTime;

    private Tracing(Tracer tracer, TextMapPropagator propagator, ExportingSdk sdk, boolean trustIncoming) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.sdk = sdk;
        this.trustIncoming = trustIncoming;
        Instant now = Instant.now();
        this.anchorNanoTime = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** @return tracing that is off: no spans; a client's {@code traceparent} passes through */
    public static Tracing off() {
        return OFF;
    }

    /**
     * @param config the tracing section
     * @param gatewayName the gateway's name, the spans' service name unless something names another
     * @param application the application's own OpenTelemetry, to make spans with; null for an SDK
     *     of the gateway's own
     * @return tracing as the section says; {@link #off()} when it is not enabled
     */
    public static Tracing start(TracingConfig config, String gatewayName, OpenTelemetry application) {
        if (!config.enabled()) {
            return OFF;
        }
        if (application != null) {
            LOG.info("Tracing with the application's own OpenTelemetry: tracing.endpoint, serviceName, headers,"
                    + " queueSize and samplingRatio are the application's to set");
            return new Tracing(application.getTracer(SCOPE), application.getPropagators().getTextMapPropagator(),
                    null, config.trustIncoming());
        }
        ExportingSdk sdk;
        try {
            sdk = new ExportingSdk(config, gatewayName);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("tracing: the exporter cannot start: " + root.getMessage()
                    + " (from the tracing section and the OTEL_* environment variables)", e);
        }
        LOG.info("Tracing to {} at sampling ratio {}", config.endpoint().map(Object::toString)
                .orElse("the endpoint OTEL_EXPORTER_OTLP_* names, or " + TracingConfig.DEFAULT_ENDPOINT),
                config.samplingRatio());
        return new Tracing(sdk.openTelemetry().getTracer(SCOPE), W3CTraceContextPropagator.getInstance(), sdk,
                config.trustIncoming());
    }

    /**
     * Applies what a reload may change: {@code samplingRatio} (for the gateway's own SDK) and
     * {@code trustIncoming}. The other keys are bound at start.
     *
     * @param config the reloaded section
     */
    public void reload(TracingConfig config) {
        trustIncoming = config.trustIncoming();
        if (sdk != null) {
            sdk.sampler().ratio(config.samplingRatio());
        }
    }

    /**
     * Begins a request's trace, as the request arrives: its server span, a child of the client's
     * {@code traceparent} when trusted, or the first of a new trace (linked to the client's when
     * not trusted). Sets {@link ExchangeTrace#ATTRIBUTE}, and {@link ExchangeTrace#TRACE_ID_ATTRIBUTE}
     * when there is a trace id.
     *
     * @param request the client's request
     * @param startNanos when it arrived, on the {@link System#nanoTime()} scale
     * @return its trace; {@link ExchangeTrace#NONE} when it is in none
     */
    public ExchangeTrace begin(HttpServletRequest request, long startNanos) {
        ExchangeTrace trace = tracer == null ? incoming(request) : serverSpan(request, startNanos);
        if (trace != ExchangeTrace.NONE) {
            request.setAttribute(ExchangeTrace.ATTRIBUTE, trace);
            request.setAttribute(ExchangeTrace.TRACE_ID_ATTRIBUTE, trace.traceId());
        }
        return trace;
    }

    private static ExchangeTrace incoming(HttpServletRequest request) {
        String value = request.getHeader(TraceParents.HEADER);
        String traceId = value == null ? null : TraceParents.traceId(value);
        return traceId == null ? ExchangeTrace.NONE : new IncomingTrace(traceId);
    }

    private RequestSpans serverSpan(HttpServletRequest request, long startNanos) {
        String method = request.getMethod();
        if (Span.current().getSpanContext().isValid()) {
            // The application's own server span (its instrumentation, or the OpenTelemetry agent's)
            // is the request's: the gateway's span is its child, and the trust was the application's to decide.
            return new RequestSpans(this, tracer.spanBuilder(SpanAttributes.spanName(method))
                    .setSpanKind(SpanKind.INTERNAL).setParent(Context.current())
                    .setStartTimestamp(epochNanos(startNanos), TimeUnit.NANOSECONDS)
                    .setAttribute(HTTP_REQUEST_METHOD, SpanAttributes.method(method))
                    .setAttribute(URL_PATH, request.getRequestURI()).startSpan(), method);
        }
        Context extracted = propagator.extract(Context.root(), request, REQUEST_HEADERS);
        SpanContext remote = Span.fromContext(extracted).getSpanContext();
        boolean trusted = trustIncoming;
        SpanBuilder builder = tracer.spanBuilder(SpanAttributes.spanName(method))
                .setSpanKind(SpanKind.SERVER)
                .setParent(remote.isValid() && trusted ? extracted : Context.root())
                .setStartTimestamp(epochNanos(startNanos), TimeUnit.NANOSECONDS)
                .setAttribute(HTTP_REQUEST_METHOD, SpanAttributes.method(method))
                .setAttribute(URL_SCHEME, request.getScheme())
                .setAttribute(URL_PATH, request.getRequestURI())
                .setAttribute(SERVER_ADDRESS, request.getServerName())
                .setAttribute(SERVER_PORT, (long) request.getServerPort())
                .setAttribute(CLIENT_ADDRESS, request.getRemoteAddr())
                .setAttribute(NETWORK_PROTOCOL_VERSION, protocolVersion(request.getProtocol()));
        if (!SpanAttributes.method(method).equals(method)) {
            builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null) {
            builder.setAttribute(USER_AGENT_ORIGINAL, userAgent);
        }
        if (remote.isValid() && !trusted) {
            builder.addLink(remote);
        }
        return new RequestSpans(this, builder.startSpan(), method);
    }

    private static String protocolVersion(String protocol) {
        return switch (protocol) {
            case "HTTP/1.1" -> "1.1";
            case "HTTP/2.0", "HTTP/2" -> "2";
            case "HTTP/1.0" -> "1.0";
            case "HTTP/3" -> "3";
            default -> protocol;
        };
    }

    /** @return spans the gateway's own exporter lost since start (queue full, export failed); 0 without one */
    public long droppedSpans() {
        return sdk == null ? 0 : sdk.droppedSpans();
    }

    /** Sends what the gateway's own exporter holds, for a few seconds at most, and stops it. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    Tracer tracer() {
        return tracer;
    }

    TextMapPropagator propagator() {
        return propagator;
    }

    /** @return a {@link System#nanoTime()} reading as nanoseconds since the epoch */
    long epochNanos(long nanoTime) {
        return anchorEpochNanos + (nanoTime - anchorNanoTime);
    }

    @Override
    public String toString() {
        return tracer == null ? "tracing off" : sdk != null ? "tracing (own exporter)" : "tracing (application's)";
    }
}
