package io.gatewise.route;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.exchange.RouteHandle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Picks the route for a request path: the longest configured prefix that matches whole path
 * segments, through a {@link RouteTrie}, so the cost of a lookup grows with the path, not with
 * the number of routes. Finding a route by its configured path, and carrying routes over on a
 * reload, are hash lookups too: nothing here grows faster than the configuration.
 */
public final class RouteTable {
    private final List<Route> routes;
    private final Map<String, Route> byPath;
    private final RouteTrie trie;

    private RouteTable(List<RouteConfig> configs, RandomGenerator random, Clock clock, RouteTable previous,
            Function<String, RouteHandle> handles) {
        List<Route> built = new ArrayList<>(configs.size());
        Map<String, Route> paths = new HashMap<>();
        for (RouteConfig config : configs) {
            Route before = previous == null ? null : previous.byPath.get(config.path());
            Route route = new Route(config, random, clock, before, handles.apply(config.path()));
            built.add(route);
            paths.putIfAbsent(config.path(), route);
        }
        this.routes = Collections.unmodifiableList(built);
        this.byPath = paths;
        this.trie = RouteTrie.of(routes);
    }

    /**
     * @param config the gateway configuration
     * @return the table of its routes
     */
    public static RouteTable of(GatewayConfig config) {
        return of(config, Clock.systemUTC());
    }

    /**
     * @param config the gateway configuration
     * @param clock the clock that times upstream ejections
     * @return the table of its routes
     */
    public static RouteTable of(GatewayConfig config, Clock clock) {
        return of(config, clock, null, ExchangeReaders.NONE::handle);
    }

    /**
     * The table of a new configuration, carrying over what the routes of the same path, and
     * their upstreams of the same URL, were doing (see {@link Route}).
     *
     * @param config the new gateway configuration
     * @param clock the clock that times upstream ejections
     * @param previous the table being replaced; null for none
     * @param handles makes each route's handle for the readers of its exchange records, by path
     * @return the table of its routes
     */
    public static RouteTable of(GatewayConfig config, Clock clock, RouteTable previous,
            Function<String, RouteHandle> handles) {
        return new RouteTable(config.routes(), RandomGenerator.of("L64X128MixRandom"), clock, previous, handles);
    }

    /**
     * @param path a route's path as configured, such as {@code /api/}
     * @return that route, to change its state at run time (maintenance, draining)
     */
    public Optional<Route> route(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** @return the routes, in configured order */
    public List<Route> routes() {
        return routes;
    }

    /**
     * @param decodedPath the request path within the gateway, dot segments resolved, decoded segment
     *     by segment with an encoded slash kept as {@code %2F} (as {@link RoutePaths#segmentsDecoded} reads it), such as
     *     {@code /api/users}
     * @return the route with the longest prefix matching whole segments, or null if none matches
     */
    public Route match(String decodedPath) {
        return trie.match(decodedPath);
    }
}
