package io.gatewise.proxy;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;

/**
 * A configured route at run time: where a matched request goes and how its target URL is built.
 *
 * <p>The target keeps the client's path and query in their raw (percent-encoded) form, so the
 * upstream sees exactly what the client sent.
 */
public final class Route {
    private final RouteConfig config;
    private final UpstreamConfig upstream;
    private final int prefixSegments;
    private final String nextHop;

    Route(RouteConfig config) {
        this.config = config;
        this.upstream = config.upstreams().get(0);
        this.nextHop = upstream.host() + ":" + upstream.port();
        this.prefixSegments = "/".equals(config.prefix()) ? 0 : (int) config.prefix().chars().filter(c -> c == '/')
                .count();
    }

    /** @return the route's configuration */
    public RouteConfig config() {
        return config;
    }

    /** @return the upstream requests on this route are sent to */
    public UpstreamConfig upstream() {
        return upstream;
    }

    /** @return the upstream as {@code host:port}, as {@code Proxy-Status} names the next hop */
    public String nextHop() {
        return nextHop;
    }

    /**
     * Builds the URL of the proxy-to-server request.
     *
     * @param rawPath the request path within the gateway, percent-encoded, dot segments resolved
     * @param rawQuery the raw query string, or null
     * @return the absolute upstream URL
     */
    String target(String rawPath, String rawQuery) {
        String path = config.stripPrefix() ? dropSegments(rawPath, prefixSegments) : rawPath;
        StringBuilder target = new StringBuilder(upstream.origin().length() + upstream.basePath().length()
                + path.length() + (rawQuery == null ? 0 : rawQuery.length() + 1));
        target.append(upstream.origin()).append(upstream.basePath());
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
