package io.gatewise.metrics;

import io.gatewise.route.RouteTable;
import io.gatewise.route.Route;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.UpstreamState;
import io.gatewise.upstream.UpstreamStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code gatewise_upstream_state{route, upstream, state}}: for each upstream of each route, one
 * gauge per state, 1 for the state it is in and 0 for the others, read from the gateway's current
 * routes at each scrape (so a route table swapped by a reload is read, not the one bound).
 */
final class UpstreamStateMeters {
    private final MeterRegistry registry;
    private final Map<Upstream, List<Meter>> bound = new HashMap<>();

    /** An upstream of a route, as the labels name it. */
    private record Upstream(String route, String url) {
    }

    UpstreamStateMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the gauges of every upstream of the gateway's current routes, and removes those of
     * upstreams it no longer has. Calling it again after the routes changed brings them up to date.
     */
    synchronized void bind(Supplier<RouteTable> routes) {
        Set<Upstream> current = new HashSet<>();
        for (Route route : routes.get().routes()) {
            for (Endpoint endpoint : route.pool().endpoints()) {
                Upstream upstream = new Upstream(route.config().path(), endpoint.config().url().toString());
                if (current.add(upstream) && !bound.containsKey(upstream)) {
                    bound.put(upstream, register(routes, upstream));
                }
            }
        }
        bound.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> register(Supplier<RouteTable> routes, Upstream upstream) {
        List<Meter> gauges = new ArrayList<>();
        for (UpstreamState state : UpstreamState.values()) {
            gauges.add(Gauge.builder(MetricNames.UPSTREAM_STATE, () -> value(routes, upstream, state))
                    .description("1 for the upstream's current state, 0 for the others")
                    .tags(MetricNames.ROUTE, upstream.route(), MetricNames.UPSTREAM, upstream.url(),
                            MetricNames.STATE, state.token())
                    .strongReference(true)
                    .register(registry));
        }
        return gauges;
    }

    private static double value(Supplier<RouteTable> routes, Upstream upstream, UpstreamState state) {
        Optional<Route> route = routes.get().route(upstream.route());
        if (route.isEmpty()) {
            return Double.NaN;
        }
        for (UpstreamStatus status : route.get().upstreamStatuses()) {
            if (status.url().equals(upstream.url())) {
                return status.state() == state ? 1 : 0;
            }
        }
        return Double.NaN;
    }
}
