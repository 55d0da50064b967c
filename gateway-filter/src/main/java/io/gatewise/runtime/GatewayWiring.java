package io.gatewise.runtime;

import io.gatewise.alert.AlertInputs;
import io.gatewise.alert.Alerts;
import io.gatewise.alert.CertificateExpirySource;
import io.gatewise.answer.FailureRecorder;
import io.gatewise.answer.FailureResponses;
import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.diagnose.Diagnoses;
import io.gatewise.diagnose.DiagnosisSummaries;
import io.gatewise.exchange.ExchangeReader;
import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.failure.FailureListener;
import io.gatewise.metrics.GatewayMetrics;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.FailureEvents;
import io.gatewise.observe.FailureLog;
import io.gatewise.observe.ListenerCertificates;
import io.gatewise.observe.RecentFailures;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.proxy.ExchangesInFlight;
import io.gatewise.proxy.ForwardingHeaders;
import io.gatewise.proxy.ProxyRuntime;
import io.gatewise.proxy.ReplayMemory;
import io.gatewise.proxy.Snapshot;
import io.gatewise.route.Route;
import io.gatewise.route.RouteTable;
import io.gatewise.trace.SpanEnds;
import io.gatewise.trace.Tracing;
import io.gatewise.upstream.HealthChecks;
import io.gatewise.upstream.UpstreamStatus;
import io.gatewise.websocket.WebSocketSessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The parts of one running gateway and how they are joined: the readers of exchange records (the
 * failure log and listeners, recent failures, traffic windows, meters), the diagnoses, the
 * alerts, the snapshot requests start on, and the upstream clients with their health checks.
 * It is the request path's view of the gateway ({@link ProxyRuntime}) and the alerts'
 * ({@link AlertInputs}); {@link Gateway} is everyone else's.
 */
final class GatewayWiring implements ProxyRuntime, AlertInputs {
    final SocketAddressResolver resolver;
    final Clock clock;
    final DnsCache dnsCache;
    final GatewayMetrics metrics;
    final RecentFailures recentFailures;
    final TrafficWindows traffic;
    final ConnectionRejections connectionRejections;
    final ListenerCertificates listenerCertificates = new ListenerCertificates();
    final Diagnoses diagnoses;
    final Alerts alerts;
    private final ReplayMemory replayMemory;
    private final ExchangesInFlight inFlight = new ExchangesInFlight();
    private final WebSocketSessions webSockets = new WebSocketSessions();
    private final ExchangeReaders readers;
    private final LongAdder loopsDetected = new LongAdder();
    /** The application's OpenTelemetry; null for the gateway's own. */
    private final OpenTelemetry openTelemetry;
    private volatile Tracing tracing = Tracing.off();
    /** Spans dropped by the exporters of earlier runs (a gateway may be started again). */
    private long droppedBefore;
    /** Set by the {@link Reloader} once it exists: what the configuration-refused alert reads. */
    volatile Reloader reloader;
    private volatile Snapshot snapshot;
    private volatile UpstreamClients clients;
    private HealthChecks healthChecks;

    GatewayWiring(GatewayConfig config, SocketAddressResolver resolver, Clock clock, MeterRegistry meterRegistry,
            List<FailureListener> listeners, Consumer<String> failureLog, CertificateExpirySource certificateExpiry,
            Duration diagnosisInterval, OpenTelemetry openTelemetry) {
        this.resolver = resolver;
        this.openTelemetry = openTelemetry;
        this.clock = clock;
        this.dnsCache = new DnsCache(config.gateway().dnsCache(), clock);
        this.replayMemory = new ReplayMemory(config.gateway().replayMemory());
        this.recentFailures = new RecentFailures(config.admin().map(AdminConfig::recentFailures)
                .orElse(AdminConfig.DEFAULT_RECENT_FAILURES));
        this.traffic = new TrafficWindows(clock);
        this.metrics = config.gateway().metrics() ? GatewayMetrics.create(meterRegistry) : GatewayMetrics.disabled();
        List<FailureListener> told = new ArrayList<>();
        told.add(failureLog == null ? new FailureLog() : new FailureLog(failureLog, System::nanoTime));
        told.add(recentFailures);
        told.addAll(listeners);
        List<ExchangeReader<?>> all = List.of(new SpanEnds(), new FailureEvents(told), traffic, metrics.reader());
        this.readers = ExchangeReaders.of(all);
        this.diagnoses = Diagnoses.create(resolver, dnsCache, config.gateway().prohibitedAddresses(), clock,
                diagnosisInterval, new Diagnoses.Upstreams() {
                    @Override
                    public List<RouteConfig> routes() {
                        return snapshot.config().routes();
                    }

                    @Override
                    public List<UpstreamStatus> statuses(String route) {
                        return snapshot.routes().route(route).map(Route::upstreamStatuses).orElse(List.of());
                    }
                });
        this.snapshot = snapshot(config, null);
        metrics.bindWebSocketSessions(webSockets::count);
        metrics.bindRoutes(this::routes);
        this.connectionRejections = new ConnectionRejections(clock);
        metrics.bindConnectionRejections(connectionRejections.countsByReason());
        metrics.bindListenerCertificates(listenerCertificates);
        metrics.bindDroppedSpans(this::droppedSpans);
        // Certificates end as the diagnoses last saw them, unless the host tells otherwise.
        this.alerts = Alerts.create(this, certificateExpiry == CertificateExpirySource.NONE
                ? diagnoses::certificateNotAfter : certificateExpiry);
    }

    /**
     * Builds the snapshot of a configuration to the side: its routes (carrying over what the
     * previous ones were doing), its recorder and answers, its forwarding headers.
     *
     * @param config the configuration
     * @param previous the routes it replaces; null for none
     * @return the snapshot, not in use yet
     * @throws IllegalStateException naming the file, if an operator's error page template is broken
     */
    Snapshot snapshot(GatewayConfig config, RouteTable previous) {
        FailureRecorder recorder = FailureRecorder.of(readers, FailureResponses.create(config).withDiagnoses(
                (route, nextHop) -> diagnoses.latestByNextHop(route, nextHop).map(DiagnosisSummaries::of)));
        return new Snapshot(config, RouteTable.of(config, clock, previous, readers::handle), recorder,
                new ForwardingHeaders(config.gateway().trustedProxies()));
    }

    /** @param next the snapshot requests start on from now */
    void swap(Snapshot next) {
        snapshot = next;
        metrics.bindRoutes(this::routes);
    }

    /**
     * Starts the upstream clients and the health checks.
     *
     * @param hooks how each upstream client is made
     * @return the clients started
     */
    synchronized UpstreamClients startClients(UpstreamClients.Hooks hooks) {
        Snapshot current = snapshot;
        UpstreamClients started = new UpstreamClients(hooks, resolver,
                current.config().gateway().prohibitedAddresses(), dnsCache);
        try {
            for (Route route : current.routes().routes()) {
                // Every route's client now: a setting no client accepts fails the start, not a request.
                route.client(started);
            }
            clients = started;
            restartHealthChecks(current);
        } catch (RuntimeException e) {
            clients = null;
            started.stop();
            throw e;
        }
        return started;
    }

    /**
     * Starts tracing as the running configuration's {@code tracing} section says, with the
     * application's OpenTelemetry: the builder's, else {@code GlobalOpenTelemetry} when the
     * application or the OpenTelemetry agent has set it (in a WAR, the web application's).
     */
    synchronized void startTracing() {
        GatewayConfig config = snapshot.config();
        OpenTelemetry application = openTelemetry != null ? openTelemetry
                : GlobalOpenTelemetry.isSet() ? GlobalOpenTelemetry.get() : null;
        tracing = Tracing.start(config.tracing(), config.gateway().name(), application);
    }

    /** Sends the spans the exporter holds, for a few seconds at most, and stops tracing. */
    synchronized void stopTracing() {
        Tracing stopped = tracing;
        tracing = Tracing.off();
        stopped.close();
        droppedBefore += stopped.droppedSpans();
    }

    private synchronized long droppedSpans() {
        return droppedBefore + tracing.droppedSpans();
    }

    /** Stops the health checks and the upstream clients. */
    synchronized void stopClients() {
        if (healthChecks != null) {
            healthChecks.stop();
            healthChecks = null;
        }
        if (clients != null) {
            clients.stop();
            clients = null;
        }
    }

    /** Runs the health checks of the snapshot's routes, in place of those that ran. */
    synchronized void restartHealthChecks(Snapshot current) {
        if (healthChecks != null) {
            healthChecks.stop();
        }
        List<HealthChecks.Target> checked = new ArrayList<>();
        for (Route route : current.routes().routes()) {
            route.config().healthCheck().ifPresent(check -> {
                HttpClient client = route.client(clients);
                checked.add(new HealthChecks.Target(route.pool(), check, client, route.config().protocol()));
            });
        }
        healthChecks = new HealthChecks(checked);
        healthChecks.start(clients.scheduler());
    }

    /** @return the health checks; null unless running */
    synchronized HealthChecks healthChecks() {
        return healthChecks;
    }

    long loopsDetected() {
        return loopsDetected.sum();
    }

    @Override
    public Tracing tracing() {
        return tracing;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public ExchangesInFlight inFlight() {
        return inFlight;
    }

    @Override
    public WebSocketSessions webSockets() {
        return webSockets;
    }

    @Override
    public ReplayMemory replayMemory() {
        return replayMemory;
    }

    @Override
    public UpstreamClients clients() {
        return clients;
    }

    @Override
    public ExchangeReaders readers() {
        return readers;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void loopDetected() {
        loopsDetected.increment();
    }

    @Override
    public String name() {
        return snapshot.config().gateway().name();
    }

    @Override
    public GatewayConfig config() {
        return snapshot.config();
    }

    @Override
    public RouteTable routes() {
        return snapshot.routes();
    }

    @Override
    public TrafficWindows traffic() {
        return traffic;
    }

    @Override
    public Optional<RefusedReload> refusedReload() {
        Reloader current = reloader;
        return current == null ? Optional.empty() : current.stats().lastResult()
                .filter(result -> !result.success())
                .map(result -> new RefusedReload(result.at(), result.error().orElse("no reason given"),
                        result.version().toString()));
    }

    @Override
    public List<ListenerCertificates.Served> listenerCertificates() {
        return listenerCertificates.all();
    }

    @Override
    public Optional<MeterRegistry> meterRegistry() {
        return metrics.registry();
    }
}
