package io.gatewise.proxy;

import io.gatewise.alert.Alerts;
import io.gatewise.alert.CertificateExpirySource;
import io.gatewise.client.ClientSettings;
import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.config.Durations;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.diagnose.Diagnoses;
import io.gatewise.diagnose.DiagnosisSummaries;
import io.gatewise.failure.FailureListener;
import io.gatewise.filter.FailureRecorder;
import io.gatewise.filter.FailureResponses;
import io.gatewise.metrics.ExchangeObserver;
import io.gatewise.metrics.GatewayMetrics;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.FailureLog;
import io.gatewise.observe.RecentFailures;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.HealthChecks;
import io.gatewise.upstream.UpstreamStatus;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.file.Path;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: its route table with the upstream pools, the upstream clients, the DNS
 * cache, the health checks, and the recorder and answers of failures. The proxy servlet, the
 * standalone server and the embedding API all hold one; what it serves is read through it.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder(config).resolver(resolver).meterRegistry(registry).build();
 * GatewayServer.builder(gateway).build().start();
 * gateway.route("/api/").orElseThrow().maintenance(true);
 * }</pre>
 *
 * <p>Its {@link #metrics()} hold the meters of what it serves: in the host's registry, or in a
 * Prometheus registry of its own (see {@link GatewayMetrics}).
 *
 * <p>What a request runs on is one immutable {@link Snapshot}: the config, the routes and the
 * recorder. Each request keeps the snapshot it started with to its end, so a later snapshot can
 * replace the current one atomically while requests in flight finish on theirs.
 *
 * <p>Its {@link GatewayState} says whether it should get traffic; {@link #addStateListener}
 * follows it. Stopping, every host (the standalone server, the servlet, the WAR's listener) runs
 * the same sequence: {@link #drain} (draining, wait for the proxied exchanges in flight up to the
 * deadline, end those still running), then {@link #stop}. An exchange ended at the deadline gets
 * the gateway's answer (503, {@code Proxy-Status: ...; error=proxy_internal_response},
 * {@code Retry-After}, {@code Connection: close}), or an aborted response if its response had
 * begun; either way it is recorded and logged with the cause {@code gateway_stopping}, and its
 * upstream request is aborted without a verdict on the upstream.
 *
 * <p>{@link #reload} replaces the configuration while it serves; see there for what carries over
 * and what waits for a restart. Built with a {@link Builder#configSource config source}, it can
 * read its configuration again ({@link #reloadFromSource}), and with {@code gateway.watchConfig}
 * it does so whenever the file changes.
 */
public final class Gateway {
    /** The servlet context attribute under which the proxy servlet publishes its gateway. */
    public static final String CONTEXT_ATTRIBUTE = Gateway.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How long exchanges ended at the deadline get to deliver their answers. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
    /** How often clients no route uses any more are checked for being idle, to close them. */
    private static final long RETIRED_CLIENT_CHECK_MILLIS = 250;

    private final SocketAddressResolver resolver;
    private final Clock clock;
    private final DnsCache dnsCache;
    private final ReplayMemory replayMemory;
    private final LongAdder loopsDetected = new LongAdder();
    private final ExchangesInFlight inFlight = new ExchangesInFlight();
    private final GatewayMetrics metrics;
    private final GatewayLifecycle lifecycle = new GatewayLifecycle();
    private final RecentFailures recentFailures;
    private final TrafficWindows traffic;
    private final ConnectionRejections connectionRejections;
    private final ExchangeObserver observer;
    private final Alerts alerts;
    private final Diagnoses diagnoses;
    private volatile Snapshot snapshot;
    private volatile UpstreamClients clients;
    private HealthChecks healthChecks;
    private final List<FailureListener> listeners;
    private final ConfigSource configSource;
    private final Duration watchQuietPeriod;
    private final List<ServletContext> publishedOn = new CopyOnWriteArrayList<>();
    /** Clients of settings no route of the current snapshot uses, closed once idle; guarded by this. */
    private final Set<ClientSettings> retiringClients = new HashSet<>();
    private boolean retiredClientCheckScheduled;
    private ConfigWatcher watcher;
    private volatile ConfigVersion version;
    private volatile ReloadStats reloadStats = ReloadStats.NONE;

    /**
     * What a request runs on, from its start to its end.
     *
     * @param config the configuration
     * @param routes its routes, with their pools
     * @param recorder records and answers failures
     * @param forwarding sets the headers that tell upstreams who the client is
     */
    record Snapshot(GatewayConfig config, RouteTable routes, FailureRecorder recorder, ForwardingHeaders forwarding) {
    }

    private Gateway(Builder builder) {
        this.resolver = builder.resolver;
        this.clock = builder.clock;
        GatewayConfig config = builder.config;
        this.dnsCache = new DnsCache(config.gateway().dnsCache(), clock);
        this.replayMemory = new ReplayMemory(config.gateway().replayMemory());
        List<FailureListener> all = new ArrayList<>();
        all.add(new FailureLog());
        this.recentFailures = new RecentFailures(config.admin().map(AdminConfig::recentFailures)
                .orElse(AdminConfig.DEFAULT_RECENT_FAILURES));
        all.add(recentFailures);
        this.traffic = new TrafficWindows(clock);
        all.add(traffic);
        all.addAll(builder.listeners);
        this.listeners = List.copyOf(all);
        this.configSource = builder.configSource;
        this.watchQuietPeriod = builder.watchQuietPeriod;
        this.diagnoses = Diagnoses.create(resolver, dnsCache, config.gateway().prohibitedAddresses(), clock,
                builder.diagnosisInterval, new Diagnoses.Upstreams() {
                    @Override
                    public List<RouteConfig> routes() {
                        return snapshot.config().routes();
                    }

                    @Override
                    public List<UpstreamStatus> statuses(String route) {
                        return snapshot.routes().route(route).map(Route::upstreamStatuses).orElse(List.of());
                    }
                });
        this.snapshot = new Snapshot(config, RouteTable.of(config, clock), newRecorder(config),
                new ForwardingHeaders(config.gateway().trustedProxies()));
        this.metrics = config.gateway().metrics() ? GatewayMetrics.create(builder.meterRegistry)
                : GatewayMetrics.disabled();
        metrics.bindRoutes(this);
        this.connectionRejections = new ConnectionRejections(clock);
        metrics.bindConnectionRejections(connectionRejections.countsByReason());
        this.observer = new GatewayObserver(metrics.observer(), traffic);
        this.version = new ConfigVersion(1, configSource == null ? Optional.empty() : configSource.digestNow());
        // The last good load is the start's until a reload succeeds, as Prometheus counts its own.
        double startedAt = clock.millis() / 1000.0;
        metrics.bindConfigReloads(() -> reloads().successes(), () -> reloads().failures(),
                () -> reloads().lastSuccess().map(at -> at.toEpochMilli() / 1000.0).orElse(startedAt));
        // Certificates end as the diagnoses last saw them, unless the host tells otherwise.
        this.alerts = Alerts.create(this, builder.certificateExpiry == CertificateExpirySource.NONE
                ? diagnoses::certificateNotAfter : builder.certificateExpiry);
    }

    private FailureRecorder newRecorder(GatewayConfig config) {
        return FailureRecorder.of(listeners, FailureResponses.create(config).withDiagnoses((route, nextHop) ->
                diagnoses.latestByNextHop(route, nextHop).map(DiagnosisSummaries::of)));
    }

    /**
     * @param config the configuration
     * @return a builder of a gateway with the JDK's resolver and the system clock
     */
    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    /**
     * Starts the upstream clients and health checks.
     *
     * @param hooks how each upstream client is made
     * @throws IllegalStateException if it runs already, or a client cannot start
     */
    public synchronized void start(UpstreamClients.Hooks hooks) {
        if (clients != null) {
            throw new IllegalStateException("The gateway " + name() + " runs already");
        }
        GatewayConfig config = snapshot.config();
        UpstreamClients started = new UpstreamClients(hooks, resolver, config.gateway().prohibitedAddresses(),
                dnsCache);
        try {
            List<HealthChecks.Target> checked = new ArrayList<>();
            for (Route route : snapshot.routes().routes()) {
                // Every route's client now: a setting no client accepts fails the start, not a request.
                HttpClient client = route.client(started);
                route.config().healthCheck().ifPresent(check -> checked.add(
                        new HealthChecks.Target(route.pool(), check, client)));
            }
            healthChecks = new HealthChecks(checked);
            healthChecks.start(started.scheduler());
        } catch (RuntimeException e) {
            started.stop();
            throw e;
        }
        clients = started;
        diagnoses.start();
        metrics.start();
        inFlight.reopen();
        syncWatcher();
        alerts.start();
        LOG.info("Gateway {} serving {} route(s) with {} upstream client(s)", name(),
                snapshot.routes().routes().size(), started.size());
        lifecycle.moveTo(GatewayState.READY);
    }

    /**
     * Ends what is still in flight at once (as {@link #drain drain(Duration.ZERO)} does), then
     * stops the health checks and the upstream clients. It may be started again.
     */
    public synchronized void stop() {
        if (lifecycle.state() == GatewayState.STOPPED) {
            return;
        }
        drain(Duration.ZERO);
        stopWatcher();
        alerts.stop();
        retiringClients.clear();
        diagnoses.stop();
        if (healthChecks != null) {
            healthChecks.stop();
            healthChecks = null;
        }
        if (clients != null) {
            clients.stop();
            clients = null;
        }
        metrics.stop();
        lifecycle.moveTo(GatewayState.STOPPED);
        LOG.info("Gateway {} stopped", name());
    }

    /**
     * What a host runs when it stops the gateway: {@link #drain} for {@code gateway.shutdownTimeout},
     * then {@link #stop}. Does nothing on a stopped gateway.
     */
    public void drainAndStop() {
        if (lifecycle.state() != GatewayState.STOPPED) {
            drain(config().gateway().shutdownTimeout());
            stop();
        }
    }

    /**
     * Turns the gateway {@link GatewayState#DRAINING}, telling the state listeners; nothing else
     * changes: requests that arrive are still served. A host calls it before it stops accepting
     * connections, so a readiness check fails first. Does nothing unless it is starting or ready.
     */
    public void beginDraining() {
        if (lifecycle.beginDraining()) {
            LOG.info("Gateway {} draining: {} exchange(s) in flight", name(), inFlight.size());
        }
    }

    /**
     * Drains the gateway: {@link #beginDraining}, then waits until no proxied exchange is in flight
     * or the timeout passes. At the deadline it ends every exchange still in flight, and any that
     * starts later, until it starts again: each is answered {@code 503} (or aborted, if its
     * response had begun), recorded and logged with the cause {@code gateway_stopping}, and its
     * upstream request aborted. It then waits a few seconds at most for those answers to go out.
     * If interrupted, it ends them at once and keeps the interrupt.
     *
     * @param timeout how long exchanges in flight may take to finish; zero ends them at once
     * @return how many it ended at the deadline; 0 when all finished in time
     */
    public int drain(Duration timeout) {
        beginDraining();
        // A second drain (the servlet's, after the server's) has no deadline left to give.
        long deadline = System.nanoTime() + (inFlight.ended() ? 0 : timeout.toNanos());
        try {
            if (inFlight.awaitNone(deadline)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int ended = inFlight.endAll();
        if (ended == 0) {
            return 0;
        }
        LOG.warn("Gateway {}: {} exchange(s) still in flight at the shutdown deadline ({}); ending them", name(),
                ended, Durations.format(timeout));
        if (!Thread.currentThread().isInterrupted()) {
            try {
                if (!inFlight.awaitNone(System.nanoTime() + ANSWER_GRACE.toNanos())) {
                    LOG.warn("Gateway {}: {} ended exchange(s) not answered within {}", name(), inFlight.size(),
                            Durations.format(ANSWER_GRACE));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ended;
    }

    /**
     * Replaces the configuration while the gateway serves. Nothing changes unless all of the new
     * configuration is good: its error page templates compile, and each client its routes ask for
     * starts (the configuration itself was checked when it was built: CA files read, every value
     * in range). The next snapshot is built to the side, then swapped in at once: requests in
     * flight finish on the snapshot they started with, new ones start on the new one.
     *
     * <p>What carries over: a route with the same path keeps its maintenance flag as an operator
     * set it (unless the configuration's own {@code maintenance} value changed) and its retry
     * budget; an upstream of that route with the same URL keeps its health, ejection, circuit,
     * in-flight count and drain flag, if the route's ejection and circuit breaker settings are
     * unchanged (if they changed, only the drain flag and health verdict carry over). Upstreams
     * and routes that are gone drain: nothing new goes to them, and their requests in flight
     * finish. A client whose settings no route uses any more is closed once no exchange is in
     * flight through it. Health checks follow the new routes; the alert rules and webhooks
     * ({@code alerts}) apply from the next evaluation, and alerts that fire keep firing.
     *
     * <p>Keys bound at start ({@code gateway.host}, {@code gateway.port},
     * {@code gateway.accessLog}, {@code gateway.shutdownTimeout}, {@code gateway.dnsCache},
     * {@code gateway.replayMemory}, {@code gateway.prohibitedAddresses}) keep their running
     * values; a reload that changes them applies everything else, logs a WARN naming them and
     * lists them in {@link ReloadResult#restartRequired()}. It is not refused: a route fix must not
     * wait because the same file also moved the port, and {@link #config()} always shows what
     * runs. A refused reload is counted, logged at ERROR with its message, and the old
     * configuration keeps serving; it never throws.
     *
     * @param next the configuration to serve
     * @return what happened
     */
    public ReloadResult reload(GatewayConfig next) {
        return reload(Objects.requireNonNull(next, "next"), Optional.empty());
    }

    /**
     * Reads the configuration again from its source (see {@link Builder#configSource}) and
     * {@link #reload reloads} it. A file that cannot be read or holds a bad configuration is
     * refused with the located message, such as {@code gateway.yaml:7:29: routes[0]...}.
     *
     * @return what happened; a failure if the gateway has no config source
     */
    public ReloadResult reloadFromSource() {
        if (configSource == null) {
            return refused("no config source: the gateway " + name() + " was given its configuration in code"
                    + " (expected: Gateway.builder(config).configSource(...) to reload from a file)");
        }
        ConfigSource.Loaded loaded;
        try {
            loaded = configSource.load();
        } catch (ConfigException e) {
            return refused(e.getMessage());
        }
        return reload(loaded.config(), Optional.of(loaded.digest()));
    }

    private synchronized ReloadResult reload(GatewayConfig next, Optional<String> digest) {
        Snapshot running = snapshot;
        List<ClientSettings> opened = new ArrayList<>();
        RestartOnlyKeys.Applied applied;
        Snapshot built;
        try {
            applied = RestartOnlyKeys.apply(running.config(), next);
            GatewayConfig config = applied.config();
            FailureRecorder recorder = newRecorder(config);
            openClients(config, opened);
            built = new Snapshot(config, RouteTable.of(config, clock, running.routes()), recorder,
                    new ForwardingHeaders(config.gateway().trustedProxies()));
        } catch (RuntimeException e) {
            UpstreamClients current = clients;
            opened.forEach(settings -> current.closeIfIdle(settings));
            return refused(describe(e));
        }
        snapshot = built;
        metrics.bindRoutes(this);
        afterSwap(running, built);
        version = version.next(digest);
        ReloadResult result = ReloadResult.succeeded(version, clock.instant(), applied.restartRequired());
        reloadStats = reloadStats.with(result);
        LOG.info("Gateway {} reloaded its configuration (version {}): {} route(s)", name(), version,
                built.routes().routes().size());
        if (!applied.restartRequired().isEmpty()) {
            LOG.warn("Gateway {}: {} changed but take effect only after a restart; the running values stay",
                    name(), String.join(", ", applied.restartRequired()));
        }
        return result;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof ConfigException || e instanceof IllegalStateException) {
            Throwable cause = e.getCause();
            return e.getMessage() + (e instanceof IllegalStateException && cause != null && cause.getMessage() != null
                    && !e.getMessage().contains(cause.getMessage()) ? ": " + cause.getMessage() : "");
        }
        return "cannot apply the configuration: " + e;
    }

    /** Starts, on a running gateway, each client the configuration asks for that is not open yet. */
    private void openClients(GatewayConfig config, List<ClientSettings> opened) {
        UpstreamClients current = clients;
        if (current == null) {
            return;
        }
        for (RouteConfig route : config.routes()) {
            ClientSettings settings = ClientSettings.of(route);
            if (!current.isOpen(settings)) {
                current.clientFor(settings);
                opened.add(settings);
            }
        }
    }

    private synchronized ReloadResult refused(String error) {
        ReloadResult result = ReloadResult.failed(error, version, clock.instant());
        reloadStats = reloadStats.with(result);
        LOG.error("Gateway {} kept its configuration (version {}); the reload was refused: {}", name(), version,
                error);
        return result;
    }

    /** Health checks on the new routes, drains what is gone, retires unused clients, republishes. */
    private void afterSwap(Snapshot before, Snapshot after) {
        Set<Endpoint> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        after.routes().routes().forEach(route -> kept.addAll(route.pool().endpoints()));
        for (Route route : before.routes().routes()) {
            for (Endpoint endpoint : route.pool().endpoints()) {
                if (!kept.contains(endpoint)) {
                    endpoint.drain(true);
                }
            }
        }
        Set<String> paths = new HashSet<>();
        after.routes().routes().forEach(route -> paths.add(route.config().path()));
        traffic.retainRoutes(paths);
        for (ServletContext context : publishedOn) {
            after.recorder().publish(context);
        }
        if (clients != null) {
            restartHealthChecks(after);
            Set<ClientSettings> used = settingsOf(after);
            for (ClientSettings settings : clients.settings()) {
                if (!used.contains(settings)) {
                    retiringClients.add(settings);
                }
            }
            scheduleRetiredClientCheck();
        }
        syncWatcher();
    }

    private void restartHealthChecks(Snapshot after) {
        if (healthChecks != null) {
            healthChecks.stop();
        }
        List<HealthChecks.Target> checked = new ArrayList<>();
        for (Route route : after.routes().routes()) {
            route.config().healthCheck().ifPresent(check -> checked.add(
                    new HealthChecks.Target(route.pool(), check, route.client(clients))));
        }
        healthChecks = new HealthChecks(checked);
        healthChecks.start(clients.scheduler());
    }

    private static Set<ClientSettings> settingsOf(Snapshot snapshot) {
        Set<ClientSettings> used = new HashSet<>();
        snapshot.routes().routes().forEach(route -> used.add(route.clientSettings()));
        return used;
    }

    private void scheduleRetiredClientCheck() {
        if (!retiringClients.isEmpty() && !retiredClientCheckScheduled) {
            retiredClientCheckScheduled = true;
            clients.scheduler().schedule(this::closeRetiredClients, RETIRED_CLIENT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Closes each retiring client through which no exchange is in flight and no connection busy. A
     * request routed just before a swap takes its client before it counts as in flight, so a
     * client is never closed before one check period has passed.
     */
    private synchronized void closeRetiredClients() {
        retiredClientCheckScheduled = false;
        UpstreamClients current = clients;
        if (current == null) {
            return;
        }
        Set<ClientSettings> used = settingsOf(snapshot);
        retiringClients.removeIf(settings -> used.contains(settings)
                || !inFlight.anyThrough(settings) && current.closeIfIdle(settings));
        scheduleRetiredClientCheck();
    }

    /** Starts or stops the watcher of the config file, as {@code gateway.watchConfig} says. */
    private void syncWatcher() {
        boolean wanted = clients != null && snapshot.config().gateway().watchConfig();
        if (!wanted) {
            stopWatcher();
            return;
        }
        if (watcher != null) {
            return;
        }
        Optional<Path> file = configSource == null ? Optional.empty() : configSource.file();
        if (file.isEmpty()) {
            LOG.warn("Gateway {}: gateway.watchConfig is true, but its configuration did not come from a file;"
                    + " nothing to watch", name());
            return;
        }
        try {
            watcher = ConfigWatcher.start(file.get(), watchQuietPeriod, this::reloadFromSource);
        } catch (IOException | RuntimeException e) {
            LOG.error("Gateway {}: cannot watch {} for changes (gateway.watchConfig): {}", name(), file.get(),
                    e.toString());
        }
    }

    private void stopWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** @return the watcher of the config file; null if none runs */
    synchronized ConfigWatcher configWatcher() {
        return watcher;
    }

    /** @return which configuration it serves: its generation and the digest of its text */
    public ConfigVersion configVersion() {
        return version;
    }

    /** @return its reloads so far: counts, the last success's time and the last result */
    public ReloadStats reloads() {
        return reloadStats;
    }

    /** @return where its configuration comes from; empty if it was given in code */
    public Optional<ConfigSource> configSource() {
        return Optional.ofNullable(configSource);
    }

    /**
     * Publishes its failure recorder on a web application's context (see
     * {@link FailureRecorder#publish}), now and again after each reload, so the application's
     * {@code FailureCauseFilter} answers with the error pages in use.
     *
     * @param context the web application's context
     */
    public void publishOn(ServletContext context) {
        publishedOn.add(context);
        snapshot.recorder().publish(context);
    }

    /** @return where it is in its life: whether it should get traffic */
    public GatewayState state() {
        return lifecycle.state();
    }

    /**
     * @param listener told of every later change of {@link #state()}, on the thread that makes it,
     *     in the order listeners were added
     */
    public void addStateListener(GatewayStateListener listener) {
        lifecycle.addListener(listener);
    }

    /** @return the proxied exchanges in flight, which a stopping gateway waits for and ends */
    ExchangesInFlight inFlight() {
        return inFlight;
    }

    /** @return whether it has started and not stopped */
    public boolean isRunning() {
        return clients != null;
    }

    /** @return the snapshot requests start on now */
    Snapshot snapshot() {
        return snapshot;
    }

    /**
     * @return requests refused as {@code proxy_loop_detected}: they had passed through this gateway
     *     already (or said so: any client can send {@code Via} with its name)
     */
    public long loopsDetected() {
        return loopsDetected.sum();
    }

    void loopDetected() {
        loopsDetected.increment();
    }

    /** @return the memory all request bodies kept for a retry share */
    ReplayMemory replayMemory() {
        return replayMemory;
    }

    /** @return the upstream clients; null unless running */
    UpstreamClients clients() {
        return clients;
    }

    /** @return the configuration in use */
    public GatewayConfig config() {
        return snapshot.config();
    }

    /** @return its name, as {@code Via} and {@code Proxy-Status} give it */
    public String name() {
        return snapshot.config().gateway().name();
    }

    /** @return the routes with their upstream pools: what each upstream is doing */
    public RouteTable routes() {
        return snapshot.routes();
    }

    /**
     * @param path a route's path as configured, such as {@code /api/}
     * @return that route, to see or change its state at run time (maintenance, draining)
     */
    public Optional<Route> route(String path) {
        return snapshot.routes().route(path);
    }

    /**
     * @return its meters and their registry: {@link GatewayMetrics#prometheusText()} is what
     *     {@code GET /metrics} serves; off with {@code gateway.metrics: false}
     */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** @return what the proxy reports to: the meters and the status page's recent traffic */
    ExchangeObserver observer() {
        return observer;
    }

    /** @return the cache of upstream addresses: to flush it at run time */
    public DnsCache dnsCache() {
        return dnsCache;
    }

    /**
     * @return its diagnoses of its upstreams: on demand for a configured route, in the background
     *     when an upstream turns ejected, unhealthy or circuit-open, the latest kept per upstream
     */
    public Diagnoses diagnoses() {
        return diagnoses;
    }

    /** @return the latest failures, newest first, as the admin API shows them */
    public RecentFailures recentFailures() {
        return recentFailures;
    }

    /** @return requests and error answers per route over the last minutes, for the status page */
    public TrafficWindows traffic() {
        return traffic;
    }

    /** @return the connections the standalone server's listener turned away or cut short, by reason */
    public ConnectionRejections connectionRejections() {
        return connectionRejections;
    }

    /**
     * @return its alerts: what fires now ({@link Alerts#firing()}), an evaluation on demand, and
     *     the test notification; the rules run while the gateway runs, as {@code alerts} configures
     */
    public Alerts alerts() {
        return alerts;
    }

    /** @return records failures into request attributes and listeners, and answers them */
    public FailureRecorder recorder() {
        return snapshot.recorder();
    }

    /** @return the gateway's clock, which times ejections, circuits, retry budgets and DNS answers */
    public Clock clock() {
        return clock;
    }

    /**
     * Probes every upstream of every route with a health check once, now, besides the schedule.
     *
     * @return completes when every probe has finished and the states are updated
     * @throws IllegalStateException if the gateway is not running
     */
    public synchronized CompletableFuture<Void> checkHealthNow() {
        if (healthChecks == null) {
            throw new IllegalStateException("The gateway " + name() + " is not running");
        }
        return healthChecks.checkNow();
    }

    @Override
    public String toString() {
        return "Gateway[" + name() + (isRunning() ? ", running" : "") + "]";
    }

    /** Builds a {@link Gateway}. */
    public static final class Builder {
        private final GatewayConfig config;
        private SocketAddressResolver resolver;
        private Clock clock = Clock.systemUTC();
        private final List<FailureListener> listeners = new ArrayList<>();
        private ConfigSource configSource;
        private Duration watchQuietPeriod = ConfigWatcher.DEFAULT_QUIET_PERIOD;
        private MeterRegistry meterRegistry;
        private CertificateExpirySource certificateExpiry = CertificateExpirySource.NONE;
        private Duration diagnosisInterval = Diagnoses.DEFAULT_INTERVAL;

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * @param source where the configuration was read from, to read it again on
         *     {@link Gateway#reloadFromSource} and, if it is a file and {@code gateway.watchConfig}
         *     is true, whenever it changes; null for none
         * @return this builder
         */
        public Builder configSource(ConfigSource source) {
            this.configSource = source;
            return this;
        }

        /**
         * @param quietPeriod how long the config file's folder must be quiet after a change
         *     before the file is read (default {@link ConfigWatcher#DEFAULT_QUIET_PERIOD})
         * @return this builder
         */
        public Builder configWatchQuietPeriod(Duration quietPeriod) {
            if (quietPeriod == null || quietPeriod.isNegative() || quietPeriod.isZero()) {
                throw new IllegalArgumentException("configWatchQuietPeriod: " + quietPeriod + " (expected: > 0)");
            }
            this.watchQuietPeriod = quietPeriod;
            return this;
        }

        /**
         * @param resolver resolves upstream names instead of the JDK's resolver: for service
         *     discovery, or to stage DNS failures in tests; null for the JDK's
         * @return this builder
         */
        public Builder resolver(SocketAddressResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * @param clock times upstream ejections, circuits, retry budgets and DNS answers (a
         *     controllable clock in tests)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param listener told about every failure, after the failure log
         * @return this builder
         */
        public Builder listener(FailureListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param registry the host application's registry, which gets the gateway's meters (the
         *     JVM's stay the host's to bind); null (the default) to have the gateway create a
         *     Prometheus registry with the JVM's meters. Unused with {@code gateway.metrics: false}
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * @param source tells the alert rule {@code GatewiseCertificateExpiring} when upstream
         *     certificates end (default {@link CertificateExpirySource#NONE}: the rule never fires)
         * @return this builder
         */
        public Builder certificateExpiry(CertificateExpirySource source) {
            this.certificateExpiry = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param interval how often one upstream is diagnosed at most (default
         *     {@link Diagnoses#DEFAULT_INTERVAL}); a request within it gets the latest diagnosis
         * @return this builder
         */
        public Builder diagnosisInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("diagnosisInterval: " + interval + " (expected: > 0)");
            }
            this.diagnosisInterval = interval;
            return this;
        }

        /**
         * @return the gateway, not started
         * @throws IllegalStateException naming the file, if an operator's error page template is broken
         */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}
