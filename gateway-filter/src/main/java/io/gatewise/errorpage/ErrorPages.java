package io.gatewise.errorpage;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway's error page renderers: the gateway's own, and one per route that has a templates
 * folder of its own.
 *
 * @param renderer renders the gateway's pages
 * @param byRoute renderers of routes with a templates folder of their own, by route path
 */
public record ErrorPages(ErrorPageRenderer renderer, Map<String, ErrorPageRenderer> byRoute) {
    /**
     * @param config the error page settings
     * @return the error pages, with no route of its own
     * @throws IllegalStateException naming the file, if an operator's template is broken
     */
    public static ErrorPages create(ErrorPagesConfig config) {
        return new ErrorPages(ErrorPageRenderer.create(config), Map.of());
    }

    /**
     * @param config the gateway configuration: its error page settings and routes' template folders
     * @return the error pages
     * @throws IllegalStateException naming the file, if an operator's template is broken
     */
    public static ErrorPages create(GatewayConfig config) {
        ErrorPageRenderer renderer = ErrorPageRenderer.create(config.errorPages());
        Map<String, ErrorPageRenderer> byRoute = new HashMap<>();
        for (RouteConfig route : config.routes()) {
            route.errorPageTemplates().ifPresent(folder -> byRoute.put(route.path(), renderer.forRoute(folder)));
        }
        return new ErrorPages(renderer, Map.copyOf(byRoute));
    }

    /**
     * @param routePath a route's path, or null
     * @return the renderer for that route: its own if it has a templates folder, else the gateway's
     */
    public ErrorPageRenderer rendererFor(String routePath) {
        return routePath == null ? renderer : byRoute.getOrDefault(routePath, renderer);
    }

    /** @return the seconds sent in {@code Retry-After} with a 503 */
    public long retryAfterSeconds() {
        return renderer.retryAfterSeconds();
    }
}
