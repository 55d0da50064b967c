package io.gatewise.runtime;

import io.gatewise.runtime.GatewayProxyServlet;
import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.WebAppConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a WAR's gateway when the web application starts, before any request: the config file
 * (named by the system property or context parameter {@value WebAppConfig#PARAMETER}) is loaded
 * and every error page template compiled. If either is rejected, the reason is logged at ERROR,
 * where the container's operator reads it, and the web application fails to start: the container
 * reports the deployment as failed rather than serving 404s. The {@link GatewayProxyServlet} then
 * serves the gateway built here, which keeps the config's source so a reload reads it again. When the web application stops (an undeploy, the container's
 * shutdown), the gateway drains and stops the same way as the standalone server's.
 */
public class GatewayStartup implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayStartup.class);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Gateway gateway;
        try {
            ConfigSource source = WebAppConfig.source(context);
            gateway = Gateway.builder(source.load().config()).configSource(source).build();
        } catch (ConfigException e) {
            LOG.error("Gatewise not started in {}: Gateway config rejected: {}", context.getContextPath(), e.getMessage());
            throw new IllegalStateException("Gatewise not started: Gateway config rejected: " + e.getMessage(), e);
        } catch (UnavailableException | IllegalStateException e) {
            LOG.error("Gatewise not started in {}: {}", context.getContextPath(), e.getMessage());
            throw new IllegalStateException("Gatewise not started: " + e.getMessage(), e);
        }
        context.setAttribute(Gateway.CONTEXT_ATTRIBUTE, gateway);
        gateway.publishOn(context);
    }

    /**
     * Drains and stops the web application's gateway ({@link Gateway#drainAndStop}), as its servlet
     * does when the container destroys it first: nothing is left to do then. A gateway whose
     * servlet never started (or another servlet's) still ends its exchanges and its clients here.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(Gateway.CONTEXT_ATTRIBUTE) instanceof Gateway gateway) {
            gateway.drainAndStop();
        }
    }
}
