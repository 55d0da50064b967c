package io.gatewise.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP clients towards the upstreams: one per distinct {@link ClientSettings}, made by the
 * servlet's factory, started together and stopped together.
 */
final class UpstreamClients {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    private final Map<ClientSettings, HttpClient> clients = new LinkedHashMap<>();
    private final Map<Route, HttpClient> byRoute = new LinkedHashMap<>();

    /**
     * Creates and starts a client for each distinct setting of the given routes.
     *
     * @param table the routes
     * @param factory makes a started client for some settings
     */
    UpstreamClients(RouteTable table, Function<ClientSettings, HttpClient> factory) {
        try {
            for (Route route : table.routes()) {
                HttpClient client = clients.computeIfAbsent(ClientSettings.of(route.config()), factory);
                byRoute.put(route, client);
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * @param route a route of the table given at construction
     * @return the client for that route
     */
    HttpClient clientFor(Route route) {
        return byRoute.get(route);
    }

    /** @return the client of the first route, for Jetty code that asks for "the" client */
    HttpClient first() {
        return clients.values().iterator().next();
    }

    /** @return how many distinct clients there are */
    int size() {
        return clients.size();
    }

    /** Stops every client; failures are ignored, each client is tried. */
    void stop() {
        for (HttpClient client : clients.values()) {
            try {
                client.stop();
            } catch (Exception e) {
                LOG.debug("Cannot stop {}", client, e);
            }
        }
    }
}
