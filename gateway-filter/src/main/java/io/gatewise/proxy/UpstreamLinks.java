package io.gatewise.proxy;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Links an upstream's answer gives to itself, turned into links a visitor can follow: the way
 * nginx's {@code proxy_redirect default} and {@code proxy_cookie_path} do, so no internal address
 * reaches a browser and {@code stripPrefix} is undone.
 *
 * <p>A {@code Location}, {@code Content-Location} or {@code Refresh} URL on the upstream's own
 * origin (scheme, host and port as configured), or a path-absolute one, under the upstream's base
 * path becomes a path-absolute reference under the route's public prefix: with route
 * {@code /legacy/} stripping its prefix to {@code http://10.0.0.5:9001/old-app},
 * {@code http://10.0.0.5:9001/old-app/login?next=/} becomes {@code /legacy/login?next=/}. A
 * path-absolute reference resolves against the origin the visitor used, whatever proxies and TLS
 * terminators stand in front: the gateway never guesses its own public scheme or trusts a
 * {@code Host} to build one. Any other URL (another host, a path outside the base) passes as sent.
 *
 * <p>A {@code Set-Cookie}'s {@code Path} under the base path moves under the public prefix the same
 * way, and a {@code Domain} naming the upstream's host is dropped, making the cookie the gateway
 * host's own (a browser refuses a cookie for a domain it did not ask).
 */
final class UpstreamLinks {
    private final String scheme;
    private final String host;
    private final int port;
    private final String basePath;
    private final String publicPrefix;

    private UpstreamLinks(UpstreamConfig upstream, String publicPrefix) {
        this.scheme = upstream.url().getScheme().toLowerCase(Locale.ROOT);
        this.host = upstream.host();
        this.port = upstream.port();
        String path = upstream.basePath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.publicPrefix = publicPrefix;
    }

    /**
     * @param clientRequest the client-to-proxy request: where the gateway is mounted
     * @param route the route's config
     * @param upstream the upstream that answered
     * @return the links of that upstream's answers to this request
     */
    static UpstreamLinks of(HttpServletRequest clientRequest, RouteConfig route, UpstreamConfig upstream) {
        return of(clientRequest.getContextPath() + clientRequest.getServletPath(), route, upstream);
    }

    /**
     * @param mount where the gateway is mounted: context path and servlet path, {@code ""} at the root
     * @param route the route's config
     * @param upstream the upstream that answered
     * @return the links of that upstream's answers under that mount
     */
    static UpstreamLinks of(String mount, RouteConfig route, UpstreamConfig upstream) {
        String prefix = route.stripPrefix() && !"/".equals(route.prefix()) ? route.prefix() : "";
        return new UpstreamLinks(upstream, mount + prefix);
    }

    /**
     * @param url a {@code Location} or {@code Content-Location} value
     * @return the visitor's link for it, or the value as sent when it is not the upstream's
     */
    String location(String url) {
        int pathStart = url.startsWith("/") && !url.startsWith("//") ? 0 : afterOwnOrigin(url);
        if (pathStart < 0) {
            return url;
        }
        String path = url.substring(pathStart);
        // http://host:port, http://host:port?x: the path is the root.
        String mapped = publicPath(path.startsWith("/") ? path : "/" + path);
        return mapped == null ? url : mapped;
    }

    /**
     * @param refresh a {@code Refresh} value, such as {@code 5; url=http://127.0.0.1:9001/login}
     * @return the same with its URL as {@link #location} gives it
     */
    String refresh(String refresh) {
        int separator = indexOfAny(refresh, ";,");
        if (separator < 0) {
            return refresh;
        }
        int start = separator + 1;
        while (start < refresh.length() && refresh.charAt(start) == ' ') {
            start++;
        }
        if (refresh.regionMatches(true, start, "url", 0, 3)) {
            int equals = start + 3;
            while (equals < refresh.length() && refresh.charAt(equals) == ' ') {
                equals++;
            }
            if (equals < refresh.length() && refresh.charAt(equals) == '=') {
                start = equals + 1;
                while (start < refresh.length() && refresh.charAt(start) == ' ') {
                    start++;
                }
            }
        }
        int end = refresh.length();
        if (start < end && (refresh.charAt(start) == '\'' || refresh.charAt(start) == '"')) {
            int close = refresh.indexOf(refresh.charAt(start), start + 1);
            start++;
            end = close < 0 ? end : close;
        }
        String url = refresh.substring(start, end);
        String rewritten = location(url);
        return rewritten.equals(url) ? refresh : refresh.substring(0, start) + rewritten + refresh.substring(end);
    }

    /**
     * @param setCookie a {@code Set-Cookie} value
     * @return the same cookie with its {@code Path} under the public prefix and without a
     *     {@code Domain} that names the upstream's host; the value as sent when neither applies
     */
    String setCookie(String setCookie) {
        String[] parts = setCookie.split(";", -1);
        StringBuilder cookie = new StringBuilder(setCookie.length() + publicPrefix.length()).append(parts[0]);
        boolean changed = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            if (attribute.regionMatches(true, 0, "domain=", 0, 7) && ownHost(attribute.substring(7))) {
                changed = true;
                continue;
            }
            if (attribute.regionMatches(true, 0, "path=", 0, 5)) {
                String path = publicPath(attribute.substring(5).strip());
                if (path != null && !path.equals(attribute.substring(5).strip())) {
                    attribute = attribute.substring(0, 5) + path;
                    changed = true;
                }
            }
            cookie.append("; ").append(attribute);
        }
        return changed ? cookie.toString() : setCookie;
    }

    /** @return where a path of the upstream's is for the visitor; null when it is outside the base path */
    private String publicPath(String path) {
        if (!path.startsWith(basePath)) {
            return null;
        }
        String rest = path.substring(basePath.length());
        if (!rest.isEmpty() && "/?#".indexOf(rest.charAt(0)) < 0) {
            // /old-apps is not under /old-app.
            return null;
        }
        if (publicPrefix.equals(basePath)) {
            return path;
        }
        String mapped = publicPrefix + rest;
        return mapped.isEmpty() || mapped.charAt(0) != '/' ? "/" + mapped : mapped;
    }

    /** @return the index where the path starts in an absolute URL on the upstream's own origin; -1 for another */
    private int afterOwnOrigin(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0 || !url.regionMatches(true, 0, scheme, 0, colon) || colon != scheme.length()) {
            return -1;
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(authorityStart, authorityEnd);
        if (authority.indexOf('@') >= 0) {
            return -1;
        }
        int portColon = authority.lastIndexOf(':');
        String name = portColon > authority.lastIndexOf(']') ? authority.substring(0, portColon) : authority;
        int urlPort;
        try {
            urlPort = portColon > authority.lastIndexOf(']') ? Integer.parseInt(authority.substring(portColon + 1))
                    : "https".equals(scheme) ? 443 : 80;
        } catch (NumberFormatException e) {
            return -1;
        }
        if (urlPort != port || !ownHost(name)) {
            return -1;
        }
        if (authorityEnd == url.length()) {
            return url.length();
        }
        return authorityEnd;
    }

    /** @return whether a host name (or a cookie's domain, a leading dot ignored) is the upstream's */
    private boolean ownHost(String name) {
        String stripped = name.strip();
        if (stripped.startsWith(".")) {
            stripped = stripped.substring(1);
        }
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
            stripped = stripped.substring(1, stripped.length() - 1);
        }
        String own = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return stripped.equalsIgnoreCase(own);
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
