package io.gatewise.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps admin actions ({@code POST}) out of a browser's reach, so a page on another site that an
 * operator visits cannot drive them with the operator's cached credentials:
 * <ul>
 *   <li>only a bearer token authorizes an action ({@code 401} for Basic credentials, which stay
 *       good for reading): a browser never adds one to a request a page forges;</li>
 *   <li>the body must be declared {@code application/json} ({@code 415} otherwise): a form or a
 *       {@code text/plain} post, the only kinds a page can send across sites without asking,
 *       never acts;</li>
 *   <li>a request a browser marks as sent from another origin ({@code Origin} that is not the
 *       admin listener's own, {@code Origin: null}, or {@code Sec-Fetch-Site} other than
 *       {@code same-origin} or {@code none}) is refused ({@code 403}).</li>
 * </ul>
 * Programs (curl, scripts, kubectl exec) send none of the browser headers and pass as before.
 */
final class ActionGuard {
    private ActionGuard() {
    }

    /**
     * Why an action is refused.
     *
     * @param status the status to answer
     * @param error what the answer and the audit line say
     */
    record Refusal(int status, String error) {
    }

    /**
     * @param request an action request whose token is right
     * @param bearer whether the token came as a bearer token
     * @return why the action must not run; empty when it may
     */
    static Optional<Refusal> check(HttpServletRequest request, boolean bearer) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return Optional.of(new Refusal(403, "actions are not taken from another site's page (Sec-Fetch-Site: "
                    + AdminServlet.printable(site) + ")"));
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request)) {
            return Optional.of(new Refusal(403, "actions are not taken from another origin (Origin: "
                    + AdminServlet.printable(origin) + ")"));
        }
        if (!bearer) {
            return Optional.of(new Refusal(401, "actions take the token as Authorization: Bearer; Basic credentials"
                    + " only read"));
        }
        if (!isJson(request.getContentType())) {
            return Optional.of(new Refusal(415, "actions take Content-Type: application/json (got "
                    + (request.getContentType() == null ? "none" : AdminServlet.printable(request.getContentType())) + ")"));
        }
        return Optional.empty();
    }

    /** @return whether the media type, without its parameters, is {@code application/json} */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /** @return whether the {@code Origin} is the scheme, host and port the request was sent to */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            // Includes "null", which a browser sends for sandboxed and privacy-sensitive contexts.
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return scheme.equalsIgnoreCase(request.getScheme()) && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }
}
