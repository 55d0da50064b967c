package io.gatewise.server;

import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;

/**
 * Jetty error handlers that never show stack traces or server details to clients, and that
 * render an error page for every method: Jetty's default renders one only for GET, POST and HEAD,
 * so a failed PUT, DELETE or PATCH through the gateway would get an empty body.
 */
final class QuietErrorHandlers {
    private QuietErrorHandlers() {
    }

    /** @return an error handler for a servlet context: web.xml-style error pages, no stacks */
    static ErrorPageErrorHandler context() {
        ErrorPageErrorHandler handler = new ErrorPageErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true;
            }
        };
        handler.setShowStacks(false);
        handler.setCacheControl("no-store");
        return handler;
    }
}
