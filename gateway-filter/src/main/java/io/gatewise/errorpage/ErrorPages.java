package io.gatewise.errorpage;

import io.gatewise.config.ErrorPagesConfig;
import jakarta.servlet.ServletContext;

/**
 * A web application's error pages: the renderer and who may see the operator view, kept as a
 * context attribute so the proxy and the {@link ErrorPageServlet} share them.
 *
 * @param renderer renders pages
 * @param access decides the operator view
 */
public record ErrorPages(ErrorPageRenderer renderer, OperatorAccess access) {
    /** The servlet context attribute that holds them. */
    public static final String CONTEXT_ATTRIBUTE = ErrorPages.class.getName();

    /**
     * @param config the error page settings
     * @return the error pages
     * @throws IllegalStateException naming the file, if an operator's template is broken
     */
    public static ErrorPages create(ErrorPagesConfig config) {
        return new ErrorPages(ErrorPageRenderer.create(config), new OperatorAccess(config));
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
     * @param config the settings
     * @return the installed error pages
     */
    public static ErrorPages install(ServletContext context, ErrorPagesConfig config) {
        ErrorPages pages = create(config);
        context.setAttribute(CONTEXT_ATTRIBUTE, pages);
        return pages;
    }
}
