package io.gatewise.server;

import io.gatewise.filter.ErrorPageServlet;
import io.gatewise.filter.FailureCauseFilter;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.GatewayProxyServlet;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/** Builds the servlet contexts and holders that put a gateway into a Jetty server. */
final class GatewayContexts {
    private GatewayContexts() {
    }

    /**
     * @return a context that serves the gateway at {@code /*}, with its failure filter, and its
     *     error pages for the container's own errors (an unparsable request, ...)
     */
    static ServletContextHandler newContext(String contextPath, Gateway gateway) {
        ServletContextHandler context = new ServletContextHandler(contextPath);
        // The servlet path of a request with an encoded slash is ambiguous; the gateway reads the raw URI.
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ErrorPageErrorHandler errorHandler = QuietErrorHandlers.context();
        errorHandler.addErrorPage(ErrorPageErrorHandler.GLOBAL_ERROR_PAGE, ErrorPageServlet.PATH);
        context.setErrorHandler(errorHandler);
        context.addServlet(ErrorPageServlet.class, ErrorPageServlet.PATH);
        gateway.publishOn(context.getServletContext());
        context.addFilter(FailureCauseFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        context.addServlet(proxyHolder(new GatewayProxyServlet(gateway)), "/*");
        // The Jakarta WebSocket container the proxy upgrades clients with, as a WAR's container provides.
        JakartaWebSockets.enable(context);
        return context;
    }

    /** @return a holder that starts the proxy servlet with its context, asynchronous */
    static ServletHolder proxyHolder(GatewayProxyServlet servlet) {
        ServletHolder holder = new ServletHolder("gatewise", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        return holder;
    }

    /**
     * Puts a context first among a server's handlers, and starts it if the server runs.
     *
     * @throws IllegalStateException if the server is running without a handler collection
     */
    static void addFirst(Server server, ServletContextHandler context) {
        Handler existing = server.getHandler();
        if (server.isStarted() && !(existing instanceof Handler.Collection)) {
            throw new IllegalStateException("The server is running and its handler is not a collection: add the"
                    + " gateway before starting it, or give it a ContextHandlerCollection");
        }
        if (existing == null) {
            server.setHandler(context);
        } else if (existing instanceof Handler.Collection collection) {
            collection.addHandler(context);
            // Added to a running collection, the context would not be stopped with the server.
            if (existing instanceof ContainerLifeCycle lifeCycle && !lifeCycle.isManaged(context)) {
                lifeCycle.manage(context);
            }
        } else {
            server.setHandler(new Handler.Sequence(context, existing));
        }
        if (server.isStarted()) {
            try {
                context.start();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the gateway context: " + e.getMessage(), e);
            }
        }
    }
}
