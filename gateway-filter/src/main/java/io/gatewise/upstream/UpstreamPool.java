package io.gatewise.upstream;

import io.gatewise.config.RouteConfig;
import java.util.ArrayList;
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
    private final LoadBalancer balancer;

    /**
     * @param route the route
     * @param random the random source for least-in-flight
     */
    public UpstreamPool(RouteConfig route, RandomGenerator random) {
        route.upstreams().forEach(upstream -> (upstream.backup() ? backups : primaries).add(new Endpoint(upstream)));
        this.balancer = LoadBalancer.of(route.loadBalancing(), random);
    }

    /**
     * @param excluded endpoints already tried for this request
     * @return the endpoint for the next attempt: a primary if one is left, else a backup; null if
     *     none is left
     */
    public Endpoint pick(Set<Endpoint> excluded) {
        List<Endpoint> candidates = available(primaries, excluded);
        if (candidates.isEmpty()) {
            candidates = available(backups, excluded);
        }
        return candidates.isEmpty() ? null : balancer.pick(candidates);
    }

    /** @return every endpoint, primaries first */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>(primaries);
        all.addAll(backups);
        return all;
    }

    private static List<Endpoint> available(List<Endpoint> endpoints, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return endpoints;
        }
        List<Endpoint> available = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            if (!excluded.contains(endpoint)) {
                available.add(endpoint);
            }
        }
        return available;
    }
}
