package io.gatewise.server;

import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;

/** Jetty error handlers that never show stack traces or server details to clients. */
final class QuietErrorHandlers {
    private QuietErrorHandlers() {
    }

    /** @return an error handler for a servlet context: web.xml-style error pages, no stacks */
    static ErrorPageErrorHandler context() {
        ErrorPageErrorHandler handler = new ErrorPageErrorHandler();
        handler.setShowStacks(false);
        handler.setCacheControl("no-store");
        return handler;
    }

    /** @return an error handler for the server, for errors outside any context */
    static ErrorHandler server() {
        ErrorHandler handler = new ErrorHandler();
        handler.setShowStacks(false);
        handler.setCacheControl("no-store");
        return handler;
    }
}
