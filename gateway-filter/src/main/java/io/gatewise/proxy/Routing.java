package io.gatewise.proxy;

import io.gatewise.upstream.Lease;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.eclipse.jetty.util.URIUtil;

/**
 * Sends a client request to a route and leases its first upstream, or says why it goes nowhere:
 * a path that escapes the root, a loop, no matching route, a route in maintenance, or every
 * upstream out.
 */
final class Routing {
    private Routing() {
    }

    /**
     * @param clientRequest the client-to-proxy request
     * @param snapshot the gateway snapshot the request runs on
     * @return an exchange whose first attempt is leased, or a rejection
     */
    static Routed route(HttpServletRequest clientRequest, Gateway.Snapshot snapshot) {
        // Match on the decoded path, forward the encoded one: both from the same normalized string.
        String normalized = URIUtil.normalizePath(rawPathWithinGateway(clientRequest));
        String decoded = normalized == null ? null : URIUtil.decodePath(normalized);
        if (decoded == null || !decoded.equals(URIUtil.normalizePath(decoded))) {
            // Dot segments that escape the root, or that were percent-encoded to slip past matching.
            return Rejection.of(Rejection.Kind.BAD_PATH);
        }
        if (LoopDetector.hasPassed(clientRequest, snapshot.config().gateway().name())) {
            return Rejection.of(Rejection.Kind.LOOP);
        }
        Route route = snapshot.routes().match(decoded);
        if (route == null) {
            return Rejection.of(Rejection.Kind.NO_ROUTE);
        }
        if (route.inMaintenance()) {
            return new Rejection(Rejection.Kind.MAINTENANCE, route);
        }
        Lease lease = route.pool().lease(Set.of());
        if (lease == null) {
            return new Rejection(Rejection.Kind.NO_UPSTREAM, route);
        }
        Exchange exchange = new Exchange(snapshot, route, normalized, clientRequest.getQueryString());
        route.retryBudget().onRequest();
        exchange.begin(lease);
        return exchange;
    }

    private static String rawPathWithinGateway(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String mount = request.getContextPath() + request.getServletPath();
        if (uri.startsWith(mount)) {
            String rest = uri.substring(mount.length());
            return rest.isEmpty() ? "/" : rest;
        }
        // The mount point itself was percent-encoded by the client: rebuild from the decoded path.
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? "/" : URIUtil.encodePath(pathInfo);
    }
}
