package io.gatewise.route;

import io.gatewise.client.ClientSettings;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.RouteConfig;
import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.exchange.RouteHandle;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.UpstreamPool;
import io.gatewise.upstream.UpstreamStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.client.HttpClient;

/**
 * A configured route at run time: its pool of upstreams, and how the upstream URL of an attempt
 * is built.
 *
 * <p>The target keeps the client's path and query in their raw (percent-encoded) form, so the
 * upstream sees exactly what the client sent.
 */
public final class Route {
    private final RouteConfig config;
    private final UpstreamPool pool;
    private final RetryBudget retryBudget;
    private final int prefixSegments;
    private final ClientSettings clientSettings;
    private volatile ClientRef client;
    private volatile boolean maintenance;
    private volatile Instant maintenanceSince;
    private final Clock clock;
    private final RouteHandle handle;

    /**
     * A route with nothing carried over, whose exchange records nobody reads: for tools and tests.
     *
     * @param config the route's configuration
     * @param random the random source for load balancing
     * @param clock the clock of ejections, circuits and budgets
     */
    public Route(RouteConfig config, RandomGenerator random, Clock clock) {
        this(config, random, clock, null, ExchangeReaders.NONE.handle(config.path()));
    }

    /**
     * A route of a new configuration, carrying over what the same route (same path) was doing:
     * its upstreams' state (see {@link UpstreamPool}), its retry budget if its settings are
     * unchanged, and its maintenance flag as an operator set it, unless the configuration's own
     * {@code maintenance} value changed: then the new value applies.
     *
     * @param config the route's configuration
     * @param random the random source for load balancing
     * @param clock the clock of ejections, circuits and budgets
     * @param previous the route with the same path in the configuration being replaced; null for none
     * @param handle the route as the readers of its exchange records know it
     */
    Route(RouteConfig config, RandomGenerator random, Clock clock, Route previous, RouteHandle handle) {
        this.clock = clock;
        this.handle = handle;
        this.config = config;
        this.pool = new UpstreamPool(config, random, clock, previous == null ? null : previous.pool);
        if (previous != null && sameBudget(previous.config, config)) {
            this.retryBudget = previous.retryBudget;
        } else {
            this.retryBudget = new RetryBudget(config.path(), config.retries().budgetPercent(),
                    config.retries().minRetriesPerSecond(), clock);
        }
        if (previous != null && previous.config.maintenance() == config.maintenance()) {
            this.maintenance = previous.maintenance;
            this.maintenanceSince = previous.maintenanceSince;
        } else {
            this.maintenance = config.maintenance();
            this.maintenanceSince = clock.instant();
        }
        this.clientSettings = ClientSettings.of(config);
        this.prefixSegments = "/".equals(config.prefix()) ? 0 : (int) config.prefix().chars().filter(c -> c == '/')
                .count();
    }

    private static boolean sameBudget(RouteConfig before, RouteConfig after) {
        return before.retries().budgetPercent() == after.retries().budgetPercent()
                && before.retries().minRetriesPerSecond() == after.retries().minRetriesPerSecond();
    }

    /** @return the settings of the client its requests go through */
    public ClientSettings clientSettings() {
        return clientSettings;
    }

    /** @return the route as the readers of its exchange records know it: their state for it */
    public RouteHandle handle() {
        return handle;
    }

    /** @return the route's configuration */
    public RouteConfig config() {
        return config;
    }

    /** @return whether the route is in maintenance: requests are answered 503, not forwarded */
    public boolean inMaintenance() {
        return maintenance;
    }

    /**
     * Puts the route in maintenance or takes it out, at run time.
     *
     * @param maintenance whether requests are answered 503 instead of forwarded
     */
    public void maintenance(boolean maintenance) {
        if (this.maintenance != maintenance) {
            maintenanceSince = clock.instant();
        }
        this.maintenance = maintenance;
    }

    /** @return each of its upstreams, where it stands now and why, in configured order */
    public List<UpstreamStatus> upstreamStatuses() {
        Instant inMaintenanceSince = maintenance ? maintenanceSince : null;
        return pool.endpoints().stream().map(endpoint -> endpoint.status(inMaintenanceSince)).toList();
    }

    /** The client a route uses, and the clients it came from: a gateway started again has new ones. */
    private record ClientRef(UpstreamClients owner, HttpClient client) {
    }

    /**
     * @param clients the gateway's clients
     * @return the client for this route's settings, looked up once per set of clients
     */
    public HttpClient client(UpstreamClients clients) {
        ClientRef found = client;
        if (found == null || found.owner() != clients) {
            found = new ClientRef(clients, clients.clientFor(clientSettings));
            client = found;
        }
        return found.client();
    }

    /** @return the share of the route's traffic that retries may add */
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** @return how many safe retries the route's retry budget has refused: a sign of a wide outage */
    public long retriesRefusedByBudget() {
        return retryBudget.refused();
    }

    /** @return the route's upstreams */
    public UpstreamPool pool() {
        return pool;
    }

    /**
     * Builds the URL of the proxy-to-server request for one attempt.
     *
     * @param endpoint the upstream of the attempt
     * @param rawPath the request path within the gateway, percent-encoded, dot segments resolved
     * @param rawQuery the raw query string, or null
     * @return the absolute upstream URL
     */
    public String target(Endpoint endpoint, String rawPath, String rawQuery) {
        String path = config.stripPrefix() ? dropSegments(rawPath, prefixSegments) : rawPath;
        String base = endpoint.base();
        StringBuilder target = new StringBuilder(base.length() + path.length() + 1
                + (rawQuery == null ? 0 : rawQuery.length() + 1));
        target.append(base);
        if (path.isEmpty() || path.charAt(0) != '/') {
            target.append('/');
        }
        target.append(path);
        if (rawQuery != null) {
            target.append('?').append(rawQuery);
        }
        return target.toString();
    }

    private static String dropSegments(String rawPath, int segments) {
        int index = 0;
        for (int i = 0; i < segments && index >= 0; i++) {
            index = rawPath.indexOf('/', index + 1);
        }
        return index < 0 ? "" : rawPath.substring(index);
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
