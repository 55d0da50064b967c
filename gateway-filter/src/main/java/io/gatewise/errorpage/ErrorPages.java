package io.gatewise.errorpage;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import jakarta.servlet.ServletContext;
import java.util.HashMap;
import java.util.Map;

/**
 * A web application's error pages: the renderer and who may see the operator view, kept as a
 * context attribute so the proxy and the {@link ErrorPageServlet} share them.
 *
 * @param renderer renders the gateway's pages
 * @param access decides the operator view
 * @param byRoute renderers of routes with a templates folder of their own, by route path
 */
public record ErrorPages(ErrorPageRenderer renderer, OperatorAccess access, Map<String, ErrorPageRenderer> byRoute) {
    /** The servlet context attribute that holds them. */
    public static final String CONTEXT_ATTRIBUTE = ErrorPages.class.getName();

    /**
     * @param config the error page settings
     * @return the error pages
     * @throws IllegalStateException naming the file, if an operator's template is broken
     */
    public static ErrorPages create(ErrorPagesConfig config) {
        return new ErrorPages(ErrorPageRenderer.create(config), new OperatorAccess(config), Map.of());
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
        return new ErrorPages(renderer, new OperatorAccess(config.errorPages()), Map.copyOf(byRoute));
    }

    /**
     * @param routePath a route's path, or null
     * @return the renderer for that route: its own if it has a templates folder, else the gateway's
     */
    public ErrorPageRenderer rendererFor(String routePath) {
        return routePath == null ? renderer : byRoute.getOrDefault(routePath, renderer);
    }

    /**
     * @param context a web application's context
     * @return its error pages; built-in ones, with no operator access, if none were installed
     */
    public static ErrorPages of(ServletContext context) {
        synchronized (context) {
            Object pages = context.getAttribute(CONTEXT_ATTRIBUTE);
            if (pages instanceof ErrorPages) {
                return (ErrorPages) pages;
            }
            ErrorPages defaults = create(ErrorPagesConfig.defaults());
            context.setAttribute(CONTEXT_ATTRIBUTE, defaults);
            return defaults;
        }
    }

    /**
     * Installs error pages for a web application, replacing any there were.
     *
     * @param context the web application's context
     * @param config the gateway configuration
     * @return the installed error pages
     */
    public static ErrorPages install(ServletContext context, GatewayConfig config) {
        ErrorPages pages = create(config);
        context.setAttribute(CONTEXT_ATTRIBUTE, pages);
        return pages;
    }
}
