package io.gatewise.metrics;

import io.gatewise.route.Route;
import io.gatewise.route.RouteTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * {@code gatewise_websocket_sessions{route}}: the sessions open now on each route that carries
 * WebSocket, read at each scrape. (How sessions end, {@code gatewise_websocket_closes_total}, is
 * read from each upgraded exchange's record.)
 */
final class WebSocketMeters {
    private final MeterRegistry registry;
    private final Map<String, Gauge> bound = new HashMap<>();
    private volatile ToIntFunction<String> openOnRoute = route -> 0;

    WebSocketMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param openOnRoute how many sessions are open now on a route, by its configured path */
    void count(ToIntFunction<String> openOnRoute) {
        this.openOnRoute = openOnRoute;
    }

    /** Registers the gauge of every route that carries WebSocket, and removes those of routes that no longer do. */
    synchronized void bind(Supplier<RouteTable> routes) {
        Set<String> current = new HashSet<>();
        for (Route route : routes.get().routes()) {
            String path = route.config().path();
            if (route.config().websocket().enabled() && current.add(path) && !bound.containsKey(path)) {
                bound.put(path, Gauge.builder(MetricNames.WEBSOCKET_SESSIONS, () -> openOnRoute.applyAsInt(path))
                        .description("WebSocket sessions open now")
                        .tags(MetricNames.ROUTE, path)
                        .strongReference(true)
                        .register(registry));
            }
        }
        bound.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue());
            return true;
        });
    }
}
