package io.gatewise.runtime;

import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.WebAppConfig;
import io.gatewise.proxy.ProxyRuntime;
import io.gatewise.proxy.RoutingProxyServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.HttpClient;

/**
 * The gateway's proxy servlet, as a web application deploys it: the request path of
 * {@link RoutingProxyServlet}, serving one {@link Gateway} that it builds (or is given), publishes
 * on its context, starts and stops.
 *
 * <p>Deployed from {@code web.xml}, it serves the gateway {@link GatewayStartup} built when the
 * application started, if there is one; else it reads its YAML config from the file named by the
 * init parameter, system property or context parameter {@code gatewise.config}, in that order
 * (see {@link WebAppConfig}). Embedded, it takes a {@link Gateway} or a {@link GatewayConfig}.
 */
public class GatewayProxyServlet extends RoutingProxyServlet {
    private static final long serialVersionUID = 1L;
    private static final String SERVER_EXECUTOR_ATTRIBUTE = "org.eclipse.jetty.server.Executor";

    private final transient GatewayConfig config;
    private transient Gateway gateway;

    /** Creates a servlet that reads its config file when the container initializes it. */
    public GatewayProxyServlet() {
        this.config = null;
    }

    /** @param config the configuration, built in code or loaded beforehand */
    public GatewayProxyServlet(GatewayConfig config) {
        this.config = config;
    }

    /** @param gateway the gateway to serve; the servlet starts it and stops it */
    public GatewayProxyServlet(Gateway gateway) {
        this.config = gateway.config();
        this.gateway = gateway;
    }

    /** @return the gateway it serves; null before {@link #init()} for a file-configured servlet */
    public Gateway gateway() {
        return gateway;
    }

    @Override
    protected ProxyRuntime runtime() {
        return gateway.proxyRuntime();
    }

    /** Builds the gateway if it was not given one, publishes it on the context, and starts it. */
    @Override
    public void init() throws ServletException {
        Object published = getServletContext().getAttribute(Gateway.CONTEXT_ATTRIBUTE);
        if (gateway == null && config == null && getInitParameter(WebAppConfig.PARAMETER) == null
                && published instanceof Gateway startup) {
            // Built by GatewayStartup when the web application started.
            gateway = startup;
        }
        if (gateway == null) {
            try {
                gateway = config != null ? Gateway.builder(config).build()
                        : fromSource(WebAppConfig.source(getServletConfig()));
            } catch (IllegalStateException e) {
                throw new UnavailableException("Gateway rejected: " + e.getMessage());
            }
        }
        gateway.publishOn(getServletContext());
        getServletContext().setAttribute(Gateway.CONTEXT_ATTRIBUTE, gateway);
        super.init();
    }

    private static Gateway fromSource(ConfigSource source) throws UnavailableException {
        try {
            return Gateway.builder(source.load().config()).configSource(source).build();
        } catch (ConfigException e) {
            throw new UnavailableException("Gateway config rejected: " + e.getMessage());
        }
    }

    /** Starts the gateway's upstream clients with this servlet's hooks; returns the first route's. */
    @Override
    protected HttpClient createHttpClient() throws ServletException {
        try {
            gateway.start(clientHooks((Executor) getServletContext().getAttribute(SERVER_EXECUTOR_ATTRIBUTE)));
            return gateway.routes().routes().get(0).client(gateway.proxyRuntime().clients());
        } catch (RuntimeException e) {
            throw new ServletException("Cannot start the upstream clients: " + e.getMessage(), e);
        }
    }

    /**
     * Drains and stops the gateway ({@link Gateway#drainAndStop}): exchanges in flight may finish
     * within {@code gateway.shutdownTimeout}; those still running then get the gateway's answer.
     */
    @Override
    public void destroy() {
        if (gateway != null) {
            gateway.drainAndStop();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (gateway == null ? "unconfigured" : gateway.name()) + "]";
    }
}
