package io.gatewise.server;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.JakartaWebSocketServerContainer;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a gateway's servlet context Jetty's Jakarta WebSocket container, which the proxy upgrades
 * clients with (a WAR's container provides its own). It comes with the optional
 * {@code jetty-ee10-websocket-jakarta-server}: without it the gateway runs as before, and answers
 * an upgrade {@code 500 proxy_configuration_error}.
 */
final class JakartaWebSockets {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaWebSockets.class);
    private static final String CONTAINER = "org.eclipse.jetty.ee10.websocket.jakarta.server.JakartaWebSocketServerContainer";
    /** The context attribute that marks a context given the container already. */
    private static final String CONFIGURED = JakartaWebSockets.class.getName() + ".configured";

    private JakartaWebSockets() {
    }

    /** @param context a context the gateway serves in; given the container once, if Jetty's is on the class path */
    static void enable(ServletContextHandler context) {
        if (context.getAttribute(CONFIGURED) != null) {
            return;
        }
        if (!onClassPath()) {
            LOG.info("WebSocket upgrades are not proxied in {}: add org.eclipse.jetty.ee10.websocket:"
                    + "jetty-ee10-websocket-jakarta-server to the class path", context.getContextPath());
            return;
        }
        Container.configure(context);
        context.setAttribute(CONFIGURED, Boolean.TRUE);
    }

    private static boolean onClassPath() {
        try {
            Class.forName(CONTAINER, false, JakartaWebSockets.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Jetty's types, in a class of their own: loaded only once they are known to be there. The
     * container is made as Jetty's own initializer makes it, but without its upgrade filter on
     * {@code /*}, which serves {@code @ServerEndpoint} mappings the gateway has none of and would
     * otherwise look at every request: the proxy upgrades with {@code upgradeHttpToWebSocket}.
     */
    private static final class Container {
        static void configure(ServletContextHandler context) {
            context.addServletContainerInitializer((classes, servletContext) -> {
                WebSocketServerComponents.ensureWebSocketComponents(context.getServer(), context);
                WebSocketMappings.ensureMappings(context);
                JakartaWebSocketServerContainer.ensureContainer(servletContext);
            });
        }
    }
}
