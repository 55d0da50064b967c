package io.gatewise.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's own meters for a server the gateway runs on: its thread pool ({@code jetty_threads_*})
 * and its connectors' connections ({@code jetty_connections_*}). A class apart, so that a WAR,
 * which has no Jetty server on its class path, never loads it.
 */
public final class JettyServerMeters {
    private JettyServerMeters() {
    }

    /**
     * Binds the server's meters to the gateway's registry; does nothing if its metrics are off.
     * Call it once the server has its connectors.
     *
     * @param metrics the gateway's metrics
     * @param server the server
     */
    public static void bind(GatewayMetrics metrics, Server server) {
        metrics.registry().ifPresent(registry -> bind(registry, server));
    }

    private static void bind(MeterRegistry registry, Server server) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        JettyConnectionMetrics.addToAllConnectors(server, registry);
    }
}
