package io.gatewise.proxy;

import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.GatewayConfig;
import io.gatewise.failure.FailureListener;
import io.gatewise.filter.FailureRecorder;
import io.gatewise.filter.FailureResponses;
import io.gatewise.observe.FailureLog;
import io.gatewise.upstream.HealthChecks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * Gateway gateway = Gateway.builder(config).resolver(resolver).listener(metrics).build();
 * GatewayServer.builder(gateway).build().start();
 * gateway.route("/api/").orElseThrow().maintenance(true);
 * }</pre>
 *
 * <p>What a request runs on is one immutable {@link Snapshot}: the config, the routes and the
 * recorder. Each request keeps the snapshot it started with to its end, so a later snapshot can
 * replace the current one atomically while requests in flight finish on theirs.
 */
public final class Gateway {
    /** The servlet context attribute under which the proxy servlet publishes its gateway. */
    public static final String CONTEXT_ATTRIBUTE = Gateway.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final SocketAddressResolver resolver;
    private final Clock clock;
    private final DnsCache dnsCache;
    private final ReplayMemory replayMemory;
    private final LongAdder loopsDetected = new LongAdder();
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
        LOG.info("Gateway {} serving {} route(s) with {} upstream client(s)", name(),
                snapshot.routes().routes().size(), started.size());
    }

    /** Stops the health checks and the upstream clients; requests still in flight fail. */
    public synchronized void stop() {
        if (healthChecks != null) {
            healthChecks.stop();
            healthChecks = null;
        }
        if (clients != null) {
            clients.stop();
            clients = null;
        }
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
         * @return the gateway, not started
         * @throws IllegalStateException naming the file, if an operator's error page template is broken
         */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}
