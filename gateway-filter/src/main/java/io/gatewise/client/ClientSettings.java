package io.gatewise.client;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.TlsConfig;
import java.time.Duration;

/**
 * The settings that Jetty's {@code HttpClient} holds per client rather than per request. Routes
 * with equal settings share one client, and with it its connection pools.
 *
 * @param resolveTimeout how long a name lookup may take
 * @param connectTimeout how long to wait for a connection
 * @param idleTimeout how long a connection may stay silent
 * @param maxConnectionsPerUpstream the most connections to one upstream
 * @param maxQueuedPerUpstream the most requests waiting for a connection to one upstream
 * @param maxResponseHeaderSize the largest response header section the gateway accepts; the
 *     client's own parser limit is set above it so the gateway's check, which names the
 *     failure, comes first
 * @param tls how https upstreams are checked
 */
public record ClientSettings(Duration resolveTimeout, Duration connectTimeout, Duration idleTimeout,
        int maxConnectionsPerUpstream, int maxQueuedPerUpstream, int maxResponseHeaderSize, TlsConfig tls) {

    private static final int PARSER_HEADROOM = 4;
    private static final int MIN_PARSER_LIMIT = 64 * 1024;

    /**
     * @param route a route's configuration
     * @return the client settings it asks for
     */
    public static ClientSettings of(RouteConfig route) {
        return new ClientSettings(route.timeouts().resolve(), route.timeouts().connect(), route.timeouts().idle(),
                route.limits().maxConnections(), route.limits().maxQueuedRequests(),
                route.limits().maxResponseHeaderSize(), route.tls());
    }

    /** @return the limit for Jetty's response parser: well above the gateway's own limit */
    int parserHeaderLimit() {
        return Math.max(MIN_PARSER_LIMIT, maxResponseHeaderSize * PARSER_HEADROOM);
    }
}
