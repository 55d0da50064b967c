package io.gatewise.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.regex.Pattern;

/**
 * Tells whether a request has already passed through this gateway: its name appears as the
 * {@code received-by} of a {@code Via} entry, or in {@code CDN-Loop} (RFC 8586). Forwarding it
 * again would loop until something times out.
 */
final class LoopDetector {
    private static final Pattern WORDS = Pattern.compile("[ \\t;]+");

    private LoopDetector() {
    }

    /**
     * @param request the client's request
     * @param gatewayName this gateway's name
     * @return whether the request names this gateway as a hop it already passed
     */
    static boolean hasPassed(HttpServletRequest request, String gatewayName) {
        return listsHop(request.getHeaders("Via"), gatewayName, true)
                || listsHop(request.getHeaders("CDN-Loop"), gatewayName, false);
    }

    private static boolean listsHop(Enumeration<String> values, String gatewayName, boolean via) {
        while (values != null && values.hasMoreElements()) {
            for (String entry : values.nextElement().split(",")) {
                // Via: "1.1 edge-1 (comment)"; CDN-Loop: "edge-1; param=x". Only the name's word is needed.
                int index = via ? 1 : 0;
                String[] words = WORDS.split(entry.trim(), index + 2);
                if (words.length > index && words[index].equalsIgnoreCase(gatewayName)) {
                    return true;
                }
            }
        }
        return false;
    }
}
