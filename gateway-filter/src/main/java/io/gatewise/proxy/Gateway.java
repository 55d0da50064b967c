package io.gatewise.proxy;

import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.GatewayConfig;
import io.gatewise.failure.FailureListener;
import io.gatewise.filter.FailureRecorder;
import io.gatewise.filter.FailureResponses;
import io.gatewise.metrics.GatewayMetrics;
import io.gatewise.observe.FailureLog;
import io.gatewise.upstream.HealthChecks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
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
 */
public final class Gateway {
    /** The servlet context attribute under which the proxy servlet publishes its gateway. */
    public static final String CONTEXT_ATTRIBUTE = Gateway.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How long exchanges ended at the deadline get to deliver their answers. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

    private final SocketAddressResolver resolver;
    private final Clock clock;
    private final DnsCache dnsCache;
    private final ReplayMemory replayMemory;
    private final LongAdder loopsDetected = new LongAdder();
    private final ExchangesInFlight inFlight = new ExchangesInFlight();
    private final GatewayMetrics metrics;
    private final AtomicReference<GatewayState> state = new AtomicReference<>(GatewayState.STARTING);
    private final List<GatewayStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;
    private volatile UpstreamClients clients;
    private HealthChecks healthChecks;

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
        List<FailureListener> listeners = new ArrayList<>();
        listeners.add(new FailureLog());
        listeners.addAll(builder.listeners);
        this.snapshot = new Snapshot(config, RouteTable.of(config, clock),
                FailureRecorder.of(listeners, FailureResponses.create(config)),
                new ForwardingHeaders(config.gateway().trustedProxies()));
        this.metrics = config.gateway().metrics() ? GatewayMetrics.create(builder.meterRegistry)
                : GatewayMetrics.disabled();
        metrics.bindRoutes(this);
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
        metrics.start();
        inFlight.reopen();
        LOG.info("Gateway {} serving {} route(s) with {} upstream client(s)", name(),
                snapshot.routes().routes().size(), started.size());
        moveTo(GatewayState.READY);
    }

    /**
     * Ends what is still in flight at once (as {@link #drain drain(Duration.ZERO)} does), then
     * stops the health checks and the upstream clients. It may be started again.
     */
    public synchronized void stop() {
        if (state.get() == GatewayState.STOPPED) {
            return;
        }
        drain(Duration.ZERO);
        if (healthChecks != null) {
            healthChecks.stop();
            healthChecks = null;
        }
        if (clients != null) {
            clients.stop();
            clients = null;
        }
        metrics.stop();
        moveTo(GatewayState.STOPPED);
        LOG.info("Gateway {} stopped", name());
    }

    /**
     * What a host runs when it stops the gateway: {@link #drain} for {@code gateway.shutdownTimeout},
     * then {@link #stop}. Does nothing on a stopped gateway.
     */
    public void drainAndStop() {
        if (state.get() != GatewayState.STOPPED) {
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
        GatewayState current = state.get();
        while (current == GatewayState.STARTING || current == GatewayState.READY) {
            if (state.compareAndSet(current, GatewayState.DRAINING)) {
                tell(current, GatewayState.DRAINING);
                LOG.info("Gateway {} draining: {} exchange(s) in flight", name(), inFlight.size());
                return;
            }
            current = state.get();
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
                ended, timeout);
        if (!Thread.currentThread().isInterrupted()) {
            try {
                if (!inFlight.awaitNone(System.nanoTime() + ANSWER_GRACE.toNanos())) {
                    LOG.warn("Gateway {}: {} ended exchange(s) not answered within {}", name(), inFlight.size(),
                            ANSWER_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ended;
    }

    /** @return where it is in its life: whether it should get traffic */
    public GatewayState state() {
        return state.get();
    }

    /**
     * @param listener told of every later change of {@link #state()}, on the thread that makes it,
     *     in the order listeners were added
     */
    public void addStateListener(GatewayStateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void moveTo(GatewayState next) {
        GatewayState previous = state.getAndSet(next);
        if (previous != next) {
            tell(previous, next);
        }
    }

    private void tell(GatewayState previous, GatewayState current) {
        for (GatewayStateListener listener : stateListeners) {
            try {
                listener.onStateChange(previous, current);
            } catch (RuntimeException e) {
                LOG.warn("State listener {} failed on {} -> {}", listener, previous, current, e);
            }
        }
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

    /** @return the cache of upstream addresses: to flush it at run time */
    public DnsCache dnsCache() {
        return dnsCache;
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
        private MeterRegistry meterRegistry;

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
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
         * @return the gateway, not started
         * @throws IllegalStateException naming the file, if an operator's error page template is broken
         */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}
