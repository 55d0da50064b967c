package io.gatewise.upstream;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A route's upstreams: primaries, which take the traffic, and backups, which take it only when no
 * primary is available for an attempt.
 */
public final class UpstreamPool {
    private final List<Endpoint> primaries = new ArrayList<>();
    private final List<Endpoint> backups = new ArrayList<>();
    private final List<Endpoint> all;
    private final LoadBalancer balancer;
    private final int maxEjected;

    /**
     * @param route the route
     * @param random the random source for least-in-flight
     * @param clock the clock ejections are timed with
     */
    public UpstreamPool(RouteConfig route, RandomGenerator random, Clock clock) {
        this(route, random, clock, null);
    }

    /**
     * A pool for a new configuration of a route, carrying over what its upstreams are doing. An
     * upstream of the previous pool with the same URL (scheme, host, port and base path, as
     * configured) carries on as the same {@link Endpoint}, with its health, ejection, circuit,
     * in-flight count and drain flag, if the route's ejection and circuit breaker settings are
     * unchanged; its weight and backup flag take their new values. If those settings changed, a
     * new endpoint takes over its drain flag and health verdict only.
     *
     * @param route the route's new configuration
     * @param random the random source for least-in-flight
     * @param clock the clock ejections are timed with
     * @param previous the route's pool in the configuration being replaced; null for none
     */
    public UpstreamPool(RouteConfig route, RandomGenerator random, Clock clock, UpstreamPool previous) {
        this.maxEjected = route.upstreams().size() * route.ejection().maxEjectedPercent() / 100;
        Map<URI, Endpoint> before = new HashMap<>();
        if (previous != null) {
            previous.all.forEach(endpoint -> before.putIfAbsent(endpoint.config().url(), endpoint));
        }
        BooleanSupplier mayEject = () -> ejectedCount() < maxEjected;
        CircuitBreakerConfig circuitBreaking = route.circuitBreaker().orElse(null);
        for (UpstreamConfig upstream : route.upstreams()) {
            Endpoint same = before.remove(upstream.url());
            Endpoint endpoint;
            if (same != null && same.keepsStateUnder(route.ejection(), circuitBreaking)) {
                same.rejoin(upstream, mayEject);
                endpoint = same;
            } else {
                endpoint = new Endpoint(upstream, route.ejection(), clock, mayEject, circuitBreaking);
                if (same != null) {
                    endpoint.inheritFrom(same);
                }
            }
            (upstream.backup() ? backups : primaries).add(endpoint);
        }
        List<Endpoint> endpoints = new ArrayList<>(primaries);
        endpoints.addAll(backups);
        this.all = List.copyOf(endpoints);
        this.balancer = LoadBalancer.of(route.loadBalancing(), random);
    }

    private int ejectedCount() {
        int ejected = 0;
        for (Endpoint endpoint : all) {
            ejected += endpoint.ejected() ? 1 : 0;
        }
        return ejected;
    }

    /**
     * @return when the first ejected endpoint returns or open circuit lets trials through, in epoch
     *     milliseconds; 0 if none is out that way
     */
    public long earliestReturnMillis() {
        long earliest = Long.MAX_VALUE;
        for (Endpoint endpoint : all) {
            if (endpoint.ejected()) {
                earliest = Math.min(earliest, endpoint.ejectedUntilMillis());
            }
            long reopensAt = endpoint.circuitReopensAtMillis();
            if (reopensAt > 0) {
                earliest = Math.min(earliest, reopensAt);
            }
        }
        return earliest == Long.MAX_VALUE ? 0 : earliest;
    }

    /**
     * @param excluded endpoints already tried for this request
     * @return a lease on the endpoint for the next attempt: a primary that is not ejected if one
     *     is left, else a backup; null if none is left. The caller ends the lease exactly once.
     */
    public Lease lease(Set<Endpoint> excluded) {
        Endpoint picked = pickFrom(primaries, excluded);
        if (picked == null) {
            picked = pickFrom(backups, excluded);
        }
        return picked == null ? null : new Lease(picked);
    }

    /**
     * Picks among the available ones; one whose circuit refuses the permit is passed over. A lone
     * candidate is taken without asking the balancer, whose pick could only be that one.
     */
    private Endpoint pickFrom(List<Endpoint> endpoints, Set<Endpoint> excluded) {
        List<Endpoint> candidates = available(endpoints, excluded);
        while (!candidates.isEmpty()) {
            Endpoint chosen = candidates.size() == 1 ? candidates.get(0) : balancer.pick(candidates);
            if (chosen.acquire()) {
                return chosen;
            }
            candidates.remove(chosen);
        }
        return null;
    }

    /** @return every endpoint, primaries first */
    public List<Endpoint> endpoints() {
        return all;
    }

    private static List<Endpoint> available(List<Endpoint> endpoints, Set<Endpoint> excluded) {
        List<Endpoint> available = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            if (!excluded.contains(endpoint) && !endpoint.ejected() && !endpoint.draining() && endpoint.healthy()
                    && endpoint.circuitMayAllow()) {
                available.add(endpoint);
            }
        }
        return available;
    }
}
