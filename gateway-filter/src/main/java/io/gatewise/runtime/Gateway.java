package io.gatewise.runtime;

import io.gatewise.alert.Alerts;
import io.gatewise.answer.FailureRecorder;
import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.config.Durations;
import io.gatewise.config.GatewayConfig;
import io.gatewise.diagnose.Diagnoses;
import io.gatewise.metrics.GatewayMetrics;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.ListenerCertificates;
import io.gatewise.observe.RecentFailures;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.proxy.ProxyRuntime;
import io.gatewise.route.Route;
import io.gatewise.route.RouteTable;
import io.gatewise.upstream.HealthChecks;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * <p>What a request runs on is one immutable {@code Snapshot}: the config, the routes and the
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
 * and what waits for a restart. Built with a {@link GatewayBuilder#configSource config source}, it can
 * read its configuration again ({@link #reloadFromSource}), and with {@code gateway.watchConfig}
 * it does so whenever the file changes.
 */
public final class Gateway {
    /** The servlet context attribute under which the proxy servlet publishes its gateway. */
    public static final String CONTEXT_ATTRIBUTE = Gateway.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How long exchanges ended at the deadline get to deliver their answers. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

    private final GatewayWiring wiring;
    private final Reloader reloader;
    private final GatewayLifecycle lifecycle = new GatewayLifecycle();
    /** Whether the next {@link #start} leaves it {@link GatewayState#WARMING} rather than ready. */
    private volatile boolean warmUpFirst;

    Gateway(GatewayBuilder builder) {
        this.wiring = new GatewayWiring(builder.config, builder.resolver, builder.clock, builder.meterRegistry,
                builder.listeners, builder.failureLog, builder.certificateExpiry, builder.diagnosisInterval,
                builder.openTelemetry);
        this.reloader = new Reloader(wiring, builder.configSource, builder.watchQuietPeriod);
        // The last good load is the start's until a reload succeeds, as Prometheus counts its own.
        double startedAt = wiring.clock.millis() / 1000.0;
        wiring.metrics.bindConfigReloads(() -> reloads().successes(), () -> reloads().failures(),
                () -> reloads().lastSuccess().map(at -> at.toEpochMilli() / 1000.0).orElse(startedAt));
    }

    /**
     * @param config the configuration
     * @return a builder of a gateway with the JDK's resolver and the system clock
     */
    public static GatewayBuilder builder(GatewayConfig config) {
        return new GatewayBuilder(config);
    }

    /**
     * Starts the upstream clients and health checks.
     *
     * @param hooks how each upstream client is made
     * @throws IllegalStateException if it runs already, a client cannot start, or tracing's exporter cannot
     */
    public synchronized void start(UpstreamClients.Hooks hooks) {
        if (wiring.clients() != null) {
            throw new IllegalStateException("The gateway " + name() + " runs already");
        }
        wiring.startTracing();
        UpstreamClients started;
        try {
            started = wiring.startClients(hooks);
        } catch (RuntimeException e) {
            wiring.stopTracing();
            throw e;
        }
        wiring.diagnoses.start();
        wiring.metrics.start();
        wiring.inFlight().reopen();
        wiring.webSockets().start();
        reloader.syncWatcher();
        wiring.alerts.start();
        LOG.info("Gateway {} serving {} route(s) with {} upstream client(s)", name(), routes().routes().size(),
                started.size());
        lifecycle.moveTo(warmUpFirst ? GatewayState.WARMING : GatewayState.READY);
    }

    /**
     * Asks the next {@link #start} to leave the gateway {@link GatewayState#WARMING}, serving but
     * not ready, until {@link #warmedUp}: what a host that warms it up first calls before starting it.
     */
    public void warmUpBeforeReady() {
        warmUpFirst = true;
    }

    /**
     * Ends the warm-up: a {@link GatewayState#WARMING} gateway turns ready, telling the state
     * listeners. Does nothing in any other state (a gateway that began draining meanwhile stays so).
     *
     * @return whether it turned ready
     */
    public boolean warmedUp() {
        warmUpFirst = false;
        return lifecycle.move(GatewayState.WARMING, GatewayState.READY);
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
        reloader.stop();
        wiring.alerts.stop();
        wiring.diagnoses.stop();
        wiring.webSockets().stop();
        wiring.stopClients();
        wiring.stopTracing();
        wiring.metrics.stop();
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
     * connections, so a readiness check fails first. Does nothing unless it is starting, warming or ready.
     */
    public void beginDraining() {
        if (lifecycle.beginDraining()) {
            LOG.info("Gateway {} draining: {} exchange(s) in flight; {} WebSocket session(s) told to go away", name(),
                    wiring.inFlight().size(), wiring.webSockets().goAway());
        }
    }

    /**
     * Drains the gateway: {@link #beginDraining} (which tells every WebSocket session to go away,
     * {@code 1001} to both sides), then waits until no proxied exchange is in flight and every
     * session has closed, or the timeout passes; sessions still closing then are dropped. At the deadline it ends every exchange still in flight, and any that
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
        long deadline = System.nanoTime() + (wiring.inFlight().ended() ? 0 : timeout.toNanos());
        try {
            if (wiring.inFlight().awaitNone(deadline) & wiring.webSockets().awaitNone(deadline)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int dropped = wiring.webSockets().abortAll();
        if (dropped > 0) {
            LOG.warn("Gateway {}: {} WebSocket session(s) still closing at the shutdown deadline ({}); dropping them",
                    name(), dropped, Durations.format(timeout));
        }
        int ended = wiring.inFlight().endAll();
        if (ended == 0) {
            return 0;
        }
        LOG.warn("Gateway {}: {} exchange(s) still in flight at the shutdown deadline ({}); ending them", name(),
                ended, Durations.format(timeout));
        if (!Thread.currentThread().isInterrupted()) {
            try {
                if (!wiring.inFlight().awaitNone(System.nanoTime() + ANSWER_GRACE.toNanos())) {
                    LOG.warn("Gateway {}: {} ended exchange(s) not answered within {}", name(), wiring.inFlight().size(),
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
     * <p>Keys bound at start (the list is {@code RestartOnlyKeys}'s, and
     * {@link ReloadResult#restartRequired()} names those a reload changed) keep their running
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
        return reloader.reload(Objects.requireNonNull(next, "next"), Optional.empty());
    }

    /**
     * Reads the configuration again from its source (see {@link GatewayBuilder#configSource}) and
     * {@link #reload reloads} it. A file that cannot be read or holds a bad configuration is
     * refused with the located message, such as {@code gateway.yaml:7:29: routes[0]...}.
     *
     * @return what happened; a failure if the gateway has no config source
     */
    public ReloadResult reloadFromSource() {
        return reloader.reloadFromSource();
    }

    /** @return the watcher of the config file; null if none runs */
    ConfigWatcher configWatcher() {
        return reloader.watcher();
    }

    /** @return which configuration it serves: its generation and the digest of its text */
    public ConfigVersion configVersion() {
        return reloader.version();
    }

    /** @return its reloads so far: counts, the last success's time and the last result */
    public ReloadStats reloads() {
        return reloader.stats();
    }

    /** @return where its configuration comes from; empty if it was given in code */
    public Optional<ConfigSource> configSource() {
        return reloader.configSource();
    }

    /**
     * Publishes its failure recorder on a web application's context (see
     * {@link FailureRecorder#publish}), now and again after each reload, so the application's
     * {@code FailureCauseFilter} answers with the error pages in use.
     *
     * @param context the web application's context
     */
    public void publishOn(ServletContext context) {
        reloader.publishOn(context);
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

    /** @return whether it has started and not stopped */
    public boolean isRunning() {
        return wiring.clients() != null;
    }

    /**
     * @return what the request path sees of it: the one way in of a {@code RoutingProxyServlet},
     *     such as an embedder's own subclass
     */
    public ProxyRuntime proxyRuntime() {
        return wiring;
    }

    /** @return the upstream clients; null unless running */
    UpstreamClients clients() {
        return wiring.clients();
    }

    /**
     * @return requests refused as {@code proxy_loop_detected}: they had passed through this gateway
     *     already (or said so: any client can send {@code Via} with its name)
     */
    public long loopsDetected() {
        return wiring.loopsDetected();
    }

    /** @return the configuration in use */
    public GatewayConfig config() {
        return wiring.config();
    }

    /** @return its name, as {@code Via} and {@code Proxy-Status} give it */
    public String name() {
        return wiring.name();
    }

    /** @return the routes with their upstream pools: what each upstream is doing */
    public RouteTable routes() {
        return wiring.routes();
    }

    /**
     * @param path a route's path as configured, such as {@code /api/}
     * @return that route, to see or change its state at run time (maintenance, draining)
     */
    public Optional<Route> route(String path) {
        return routes().route(path);
    }

    /**
     * @return its meters and their registry: {@link GatewayMetrics#prometheusText()} is what
     *     {@code GET /metrics} serves; off with {@code gateway.metrics: false}
     */
    public GatewayMetrics metrics() {
        return wiring.metrics;
    }

    /** @return the cache of upstream addresses: to flush it at run time */
    public DnsCache dnsCache() {
        return wiring.dnsCache;
    }

    /**
     * @return its diagnoses of its upstreams: on demand for a configured route, in the background
     *     when an upstream turns ejected, unhealthy or circuit-open, the latest kept per upstream
     */
    public Diagnoses diagnoses() {
        return wiring.diagnoses;
    }

    /** @return the latest failures, newest first, as the admin API shows them */
    public RecentFailures recentFailures() {
        return wiring.recentFailures;
    }

    /** @return requests and error answers per route over the last minutes, for the status page */
    public TrafficWindows traffic() {
        return wiring.traffic;
    }

    /** @return the connections the standalone server's listener turned away or cut short, by reason */
    public ConnectionRejections connectionRejections() {
        return wiring.connectionRejections;
    }

    /**
     * @return the certificates the gateway's own TLS listeners serve: the standalone server's TLS
     *     listener keeps it up to date, the expiry meter and the certificate-expiry alert read it
     */
    public ListenerCertificates listenerCertificates() {
        return wiring.listenerCertificates;
    }

    /**
     * @return its alerts: what fires now ({@link Alerts#firing()}), an evaluation on demand, and
     *     the test notification; the rules run while the gateway runs, as {@code alerts} configures
     */
    public Alerts alerts() {
        return wiring.alerts;
    }

    /** @return records failures into request attributes, and answers them */
    public FailureRecorder recorder() {
        return wiring.snapshot().recorder();
    }

    /** @return the gateway's clock, which times ejections, circuits, retry budgets and DNS answers */
    public Clock clock() {
        return wiring.clock;
    }

    /**
     * Probes every upstream of every route with a health check once, now, besides the schedule.
     *
     * @return completes when every probe has finished and the states are updated
     * @throws IllegalStateException if the gateway is not running
     */
    public CompletableFuture<Void> checkHealthNow() {
        HealthChecks checks = wiring.healthChecks();
        if (checks == null) {
            throw new IllegalStateException("The gateway " + name() + " is not running");
        }
        return checks.checkNow();
    }

    @Override
    public String toString() {
        return "Gateway[" + name() + (isRunning() ? ", running" : "") + "]";
    }
}
