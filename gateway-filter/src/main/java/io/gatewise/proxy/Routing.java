package io.gatewise.proxy;

import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.route.Route;
import io.gatewise.route.RoutePaths;
import io.gatewise.trace.RequestSpans;
import io.gatewise.upstream.Lease;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
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
    static Routed route(HttpServletRequest clientRequest, Snapshot snapshot) {
        Rejection.Kind framing = framingFault(clientRequest);
        if (framing != null) {
            return Rejection.of(framing);
        }
        // Match on the decoded path, forward the encoded one: both from the same normalized string.
        String normalized = URIUtil.normalizePath(rawPathWithinGateway(clientRequest));
        String decoded = normalized == null ? null : URIUtil.decodePath(normalized);
        if (decoded == null || !decoded.equals(URIUtil.normalizePath(decoded)) || hasDotSegmentWithParameters(normalized)) {
            // Dot segments that escape the root, or that were percent-encoded to slip past matching.
            return Rejection.of(Rejection.Kind.BAD_PATH);
        }
        if (LoopDetector.hasPassed(clientRequest, snapshot.config().gateway().name())) {
            return Rejection.of(Rejection.Kind.LOOP);
        }
        Route route = snapshot.routes().match(RoutePaths.segmentsDecoded(normalized));
        if (route == null) {
            return Rejection.of(Rejection.Kind.NO_ROUTE);
        }
        RequestSpans spans = clientRequest.getAttribute(ExchangeTrace.ATTRIBUTE) instanceof RequestSpans traced
                ? traced : null;
        if (spans != null) {
            spans.routed(route.config().path());
        }
        if (!route.config().allowTrace() && "TRACE".equals(clientRequest.getMethod())) {
            return new Rejection(Rejection.Kind.TRACE_NOT_ALLOWED, route);
        }
        if (route.inMaintenance()) {
            return new Rejection(Rejection.Kind.MAINTENANCE, route);
        }
        Lease lease = route.pool().lease(Set.of());
        if (lease == null) {
            return new Rejection(Rejection.Kind.NO_UPSTREAM, route);
        }
        Exchange exchange = new Exchange(snapshot, route, normalized, forwardableQuery(clientRequest.getQueryString()),
                spans);
        route.retryBudget().onRequest();
        exchange.begin(lease);
        return exchange;
    }

    /**
     * @param rawPath a normalized, percent-encoded path
     * @return whether a segment is {@code .} or {@code ..} once decoded and stripped of its path
     *     parameters, in any spelling ({@code ..;}, {@code ..%3b}, {@code %2e%2e%3B}, {@code .%2e;v=1}):
     *     servers that drop parameters (Tomcat, Spring) resolve it as a dot segment, past what the
     *     route matched and outside a stripped prefix's base path
     */
    static boolean hasDotSegmentWithParameters(String rawPath) {
        if (rawPath.indexOf(';') < 0 && rawPath.indexOf('%') < 0) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.isEmpty() || segment.charAt(0) != '.' && segment.charAt(0) != '%') {
                continue;
            }
            String decoded = URIUtil.decodePath(segment);
            int parameters = decoded.indexOf(';');
            String name = parameters < 0 ? decoded : decoded.substring(0, parameters);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return why the request's body framing cannot be forwarded (RFC 9112 6.1), or null when it can:
     *     {@code Transfer-Encoding} is only for HTTP/1.1, and only {@code chunked}, which the
     *     container undoes, may be in it; a gzip layer under it would be dropped silently
     */
    private static Rejection.Kind framingFault(HttpServletRequest request) {
        Enumeration<String> codings = request.getHeaders("Transfer-Encoding");
        if (codings == null || !codings.hasMoreElements()) {
            return null;
        }
        if ("HTTP/1.0".equals(request.getProtocol())) {
            return Rejection.Kind.FAULTY_FRAMING;
        }
        while (codings.hasMoreElements()) {
            for (String coding : codings.nextElement().split(",")) {
                if (!coding.isBlank() && !"chunked".equalsIgnoreCase(coding.strip())) {
                    return Rejection.Kind.UNSUPPORTED_TRANSFER_CODING;
                }
            }
        }
        return null;
    }

    /**
     * @param rawQuery the query as the client sent it, or null
     * @return the same query, except that a {@code %} not followed by two hex digits becomes
     *     {@code %25}: Jetty's client cannot write a malformed escape, and {@code %25zz} decodes to
     *     the {@code %zz} a lenient server would have read. Every other byte passes as it came.
     */
    static String forwardableQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.indexOf('%') < 0) {
            return rawQuery;
        }
        StringBuilder query = new StringBuilder(rawQuery.length() + 8);
        for (int i = 0; i < rawQuery.length(); i++) {
            char c = rawQuery.charAt(i);
            query.append(c);
            if (c == '%' && !(i + 2 < rawQuery.length() && isHex(rawQuery.charAt(i + 1))
                    && isHex(rawQuery.charAt(i + 2)))) {
                query.append("25");
            }
        }
        return query.toString();
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
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
