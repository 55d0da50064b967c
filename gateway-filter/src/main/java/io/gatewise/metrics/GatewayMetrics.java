package io.gatewise.metrics;

import io.gatewise.exchange.ExchangeReader;
import io.gatewise.observe.ListenerCertificates;
import io.gatewise.route.RouteTable;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * A gateway's meters and the registry they go to ({@code Gateway.metrics()}).
 *
 * <p>An embedding application gives the gateway its own registry
 * ({@code Gateway.builder(config).meterRegistry(registry)}) and publishes it its own way; the
 * gateway adds its meters there (see {@link MetricNames}), and Jetty's when a
 * {@code GatewayServer} runs it, but leaves the JVM's meters to the application. Without one, as in
 * the standalone server and the WAR, the gateway creates a Prometheus registry with the JVM's
 * meters (memory, GC, threads, class loading, processor, uptime), read with
 * {@link #prometheusText()}. With {@code gateway.metrics: false} it keeps no meters at all.
 */
public final class GatewayMetrics {
    /** The media type of {@link #prometheusText()}: Prometheus's text format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The media type of OpenMetrics 1.0, with exemplars. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text";

    private static final GatewayMetrics DISABLED = new GatewayMetrics(null, false);

    private final MeterRegistry registry;
    private final boolean ownRegistry;
    private final RequestMeters requestMeters;
    private final UpstreamStateMeters upstreamStates;
    private final WebSocketMeters webSockets;
    /** What function counters read: a registry holds them only weakly. */
    private final List<Object> sources = new CopyOnWriteArrayList<>();
    private JvmGcMetrics gc;

    private GatewayMetrics(MeterRegistry registry, boolean ownRegistry) {
        this.registry = registry;
        this.ownRegistry = ownRegistry;
        this.requestMeters = registry == null ? null : new RequestMeters(registry);
        this.upstreamStates = registry == null ? null : new UpstreamStateMeters(registry);
        this.webSockets = registry == null ? null : new WebSocketMeters(registry);
        if (ownRegistry) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
    }

    /**
     * @param registry the host application's registry; null to create a Prometheus registry with
     *     the JVM's meters
     * @return metrics kept in that registry
     */
    public static GatewayMetrics create(MeterRegistry registry) {
        return registry == null ? new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), Clock.SYSTEM, new TraceExemplars()), true)
                : new GatewayMetrics(registry, false);
    }

    /** @return metrics that keep nothing: no registry, and an observer that ignores every report */
    public static GatewayMetrics disabled() {
        return DISABLED;
    }

    /** @return whether meters are kept */
    public boolean enabled() {
        return registry != null;
    }

    /** @return the registry the meters go to; empty when metrics are off */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /**
     * @return every meter of the registry in Prometheus's text format ({@link #PROMETHEUS_CONTENT_TYPE}),
     *     what {@code GET /metrics} serves; empty when metrics are off or the registry is not a
     *     Prometheus one (nor a composite holding one): the host publishes it its own way
     */
    public Optional<String> prometheusText() {
        return prometheus(registry).map(PrometheusMeterRegistry::scrape);
    }

    /**
     * @param accept the scraper's {@code Accept} header, or null
     * @return every meter of the registry in the format the scraper asked for: OpenMetrics (whose
     *     histogram buckets carry the trace exemplars) for {@code application/openmetrics-text},
     *     else Prometheus's text format; empty as for {@link #prometheusText()}
     */
    public Optional<Scrape> scrape(String accept) {
        return prometheus(registry).map(prometheus -> accept != null && accept.contains(OPENMETRICS)
                ? new Scrape(OPENMETRICS_CONTENT_TYPE, prometheus.scrape(OPENMETRICS_CONTENT_TYPE))
                : new Scrape(PROMETHEUS_CONTENT_TYPE, prometheus.scrape()));
    }

    /**
     * A scrape of the meters.
     *
     * @param contentType its media type
     * @param text the meters
     */
    public record Scrape(String contentType, String text) {
    }

    /**
     * Registers {@code gatewise_tracing_spans_dropped_total}: spans the gateway's own exporter lost,
     * because its queue was full (the collector slow or down) or an export failed.
     *
     * @param dropped reads the count
     */
    public void bindDroppedSpans(LongSupplier dropped) {
        if (registry == null) {
            return;
        }
        sources.add(dropped);
        FunctionCounter.builder(MetricNames.TRACING_SPANS_DROPPED, dropped, LongSupplier::getAsLong)
                .description("Spans the gateway's exporter dropped: its queue was full, or the export failed")
                .register(registry);
    }

    private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return Optional.of(prometheus);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                Optional<PrometheusMeterRegistry> found = prometheus(member);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @return the reader of exchange records that feeds the request meters; one that reads
     *     nothing when the metrics are off
     */
    public ExchangeReader<?> reader() {
        return requestMeters == null ? (record, state) -> { } : requestMeters;
    }

    /**
     * Brings the meters up to date with the routes: removes the request meters of routes that are
     * gone, registers the gauges of every upstream and removes those of upstreams no route has.
     * Called at start and after each reload.
     *
     * @param routes the routes now; read again at every scrape of an upstream's state
     */
    public void bindRoutes(Supplier<RouteTable> routes) {
        if (requestMeters != null) {
            Set<String> paths = new HashSet<>();
            routes.get().routes().forEach(route -> paths.add(route.config().path()));
            requestMeters.retainRoutes(paths);
            upstreamStates.bind(routes);
            webSockets.bind(routes);
        }
    }

    /**
     * Reads {@code gatewise_websocket_sessions{route}} from the given count at each scrape. Does
     * nothing when metrics are off.
     *
     * @param openOnRoute how many WebSocket sessions are open now on a route, by its configured path
     */
    public void bindWebSocketSessions(ToIntFunction<String> openOnRoute) {
        Objects.requireNonNull(openOnRoute, "openOnRoute");
        if (webSockets != null) {
            webSockets.count(openOnRoute);
        }
    }

    /**
     * Registers {@code gatewise_config_reloads_total{result="success"|"failure"}} and
     * {@code gatewise_config_last_reload_success_timestamp_seconds}, read from the given sources at
     * each scrape. Does nothing when metrics are off.
     *
     * @param succeeded how many reloads succeeded so far
     * @param failed how many reloads failed so far
     * @param lastSuccessEpochSeconds when the config last loaded successfully (the start counts), in
     *     seconds since the epoch
     */
    public void bindConfigReloads(LongSupplier succeeded, LongSupplier failed, DoubleSupplier lastSuccessEpochSeconds) {
        Objects.requireNonNull(succeeded, "succeeded");
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(lastSuccessEpochSeconds, "lastSuccessEpochSeconds");
        if (registry == null) {
            return;
        }
        reloads("success", succeeded);
        reloads("failure", failed);
        Gauge.builder(MetricNames.CONFIG_LAST_RELOAD_SUCCESS, lastSuccessEpochSeconds::getAsDouble)
                .description("When the config last loaded successfully, in seconds since the epoch")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /**
     * Registers {@code gatewise_connections_rejected_total{reason}}, read from the given counts at
     * each scrape, one series per reason from the start. Does nothing when metrics are off.
     *
     * @param countsByReason how many connections the listener rejected so far, by reason label
     */
    public void bindConnectionRejections(Map<String, LongSupplier> countsByReason) {
        Objects.requireNonNull(countsByReason, "countsByReason");
        if (registry == null) {
            return;
        }
        countsByReason.forEach((reason, count) -> {
            // Function counters hold their source weakly.
            sources.add(count);
            FunctionCounter.builder(MetricNames.CONNECTIONS_REJECTED, count, LongSupplier::getAsLong)
                    .description("Connections the traffic listener turned away or cut short, by reason")
                    .tags(MetricNames.REASON, reason)
                    .register(registry);
        });
    }

    /**
     * Registers {@code gatewise_tls_certificate_expiry_timestamp_seconds{listener, subject}} and keeps
     * it equal to what the listeners serve: a series per served certificate, replaced whenever a
     * listener reloads (a subject no longer served loses its series). Two certificates of one
     * listener with the same subject share a series, which shows the one that ends first. Does
     * nothing when metrics are off.
     *
     * @param certificates the certificates the gateway's listeners serve
     */
    public void bindListenerCertificates(ListenerCertificates certificates) {
        Objects.requireNonNull(certificates, "certificates");
        if (registry == null) {
            return;
        }
        MultiGauge expiry = MultiGauge.builder(MetricNames.TLS_CERTIFICATE_EXPIRY)
                .description("When each certificate the gateway's TLS listeners serve ends, in seconds since the"
                        + " epoch")
                .baseUnit("seconds")
                .register(registry);
        certificates.watch(served -> {
            Map<Tags, Double> ends = new LinkedHashMap<>();
            for (ListenerCertificates.Served certificate : served) {
                ends.merge(Tags.of(MetricNames.LISTENER, certificate.listener(), MetricNames.SUBJECT,
                        certificate.subject()), certificate.notAfter().getEpochSecond() + 0.0, Math::min);
            }
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            ends.forEach((tags, seconds) -> rows.add(MultiGauge.Row.of(tags, seconds)));
            expiry.register(rows, true);
        });
    }

    private void reloads(String result, LongSupplier count) {
        sources.add(count);
        FunctionCounter.builder(MetricNames.CONFIG_RELOADS, count, LongSupplier::getAsLong)
                .description("Config reloads, by result")
                .tags(MetricNames.RESULT, result)
                .register(registry);
    }

    /** Binds what holds resources while the gateway runs (the GC's notifications); the gateway calls it as it starts. */
    public synchronized void start() {
        if (ownRegistry && gc == null) {
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        }
    }

    /** Lets go of what {@link #start()} bound; the gateway calls it as it stops. */
    public synchronized void stop() {
        if (gc != null) {
            gc.close();
            gc = null;
        }
    }

    @Override
    public String toString() {
        return registry == null ? "metrics off" : "metrics in " + registry.getClass().getSimpleName();
    }
}
