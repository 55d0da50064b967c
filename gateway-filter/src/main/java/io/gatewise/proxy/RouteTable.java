package io.gatewise.proxy;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.URIUtil;

/**
 * Picks the route for a request path: the longest configured prefix that matches whole path
 * segments. Lookup walks up the path's segments through a hash map, so its cost grows with the
 * depth of the path, not with the number of routes.
 */
public final class RouteTable {
    private final Map<String, Route> byPrefix = new HashMap<>();
    private final List<Route> routes;

    private RouteTable(List<RouteConfig> configs, RandomGenerator random, Clock clock, RouteTable previous) {
        this.routes = configs.stream().map(config -> new Route(config, random, clock,
                previous == null ? null : previous.route(config.path()).orElse(null)))
                .collect(Collectors.toUnmodifiableList());
        for (Route route : routes) {
            byPrefix.put(URIUtil.decodePath(route.config().prefix()), route);
        }
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
        return of(config, clock, null);
    }

    /**
     * The table of a new configuration, carrying over what the routes of the same path, and
     * their upstreams of the same URL, were doing (see {@link Route}).
     *
     * @param config the new gateway configuration
     * @param clock the clock that times upstream ejections
     * @param previous the table being replaced; null for none
     * @return the table of its routes
     */
    static RouteTable of(GatewayConfig config, Clock clock, RouteTable previous) {
        return new RouteTable(config.routes(), RandomGenerator.of("L64X128MixRandom"), clock, previous);
    }

    /**
     * @param path a route's path as configured, such as {@code /api/}
     * @return that route, to change its state at run time (maintenance, draining)
     */
    public Optional<Route> route(String path) {
        return routes.stream().filter(route -> route.config().path().equals(path)).findFirst();
    }

    /** @return the routes, in configured order */
    public List<Route> routes() {
        return routes;
    }

    /**
     * @param decodedPath the request path within the gateway, percent-decoded, dot segments
     *     resolved, such as {@code /api/users}
     * @return the route with the longest prefix matching whole segments, or null if none matches
     */
    public Route match(String decodedPath) {
        String path = decodedPath.isEmpty() ? "/" : decodedPath;
        while (true) {
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            Route route = byPrefix.get(path);
            if (route != null || "/".equals(path)) {
                return route;
            }
            int slash = path.lastIndexOf('/');
            path = slash <= 0 ? "/" : path.substring(0, slash);
        }
    }
}
