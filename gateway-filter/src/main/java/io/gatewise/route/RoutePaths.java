package io.gatewise.route;

import org.eclipse.jetty.util.URIUtil;

/** How request paths are read for matching routes: the one reading the route trie and the proxy share. */
public final class RoutePaths {
    private RoutePaths() {
    }

    /**
     * @param rawPath a normalized, percent-encoded path
     * @return the path decoded segment by segment, each without its path parameters (from a
     *     {@code ;} as sent, to the segment's end), an encoded slash kept as {@code %2F}: what routes
     *     are matched on, so {@code /api%2Fadmin/x} is one segment and never reaches route
     *     {@code /api/admin/}, and {@code /api;v=1/orders} is route {@code /api/}'s
     */
    public static String segmentsDecoded(String rawPath) {
        if (rawPath.indexOf('%') < 0 && rawPath.indexOf(';') < 0) {
            return rawPath;
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        for (String segment : rawPath.split("/", -1)) {
            if (path.length() > 0 || !segment.isEmpty()) {
                path.append('/');
            }
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            path.append(URIUtil.decodePath(name).replace("/", "%2F"));
        }
        return path.length() == 0 ? "/" : path.toString();
    }

}
