package io.gatewise.proxy;

import io.gatewise.config.RouteConfig;
import java.time.Duration;

/**
 * The settings that Jetty's {@code HttpClient} holds per client rather than per request. Routes
 * with equal settings share one client, and with it its connection pools.
 *
 * @param connectTimeout how long to wait for a connection
 * @param idleTimeout how long a connection may stay silent
 * @param maxConnectionsPerUpstream the most connections to one upstream
 * @param maxResponseHeaderSize the largest response header section accepted
 */
record ClientSettings(Duration connectTimeout, Duration idleTimeout, int maxConnectionsPerUpstream,
        int maxResponseHeaderSize) {

    static ClientSettings of(RouteConfig route) {
        return new ClientSettings(route.timeouts().connect(), route.timeouts().idle(),
                route.limits().maxConnections(), route.limits().maxResponseHeaderSize());
    }
}
