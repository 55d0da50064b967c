package io.gatewise.server;

import io.gatewise.config.Durations;
import io.gatewise.runtime.Gateway;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone gateway's Jetty server. Jetty's own stop closes every connection once its stop
 * timeout passes, before the gateway's servlet stops: too late for an answer. This one drains the
 * gateway first, while the connections are still open:
 * <ol>
 *   <li>the gateway turns {@code DRAINING} (its state listeners are told; {@code /readyz} answers
 *       503) while the connector still accepts, and keeps serving for {@code gateway.shutdownDelay};</li>
 *   <li>the connector stops accepting, and Jetty's graceful handler refuses new requests on open
 *       connections;</li>
 *   <li>the gateway waits for its exchanges in flight up to {@code gateway.shutdownTimeout}, and
 *       ends those still running with its own answer;</li>
 *   <li>Jetty's stop goes on: what else is in flight may finish within the stop timeout, then
 *       the connections close and the context (with the gateway's clients) stops.</li>
 * </ol>
 */
final class DrainingServer extends Server {
    private static final Logger LOG = LoggerFactory.getLogger(DrainingServer.class);

    private final Gateway gateway;
    private final Duration shutdownDelay;
    private final Duration shutdownTimeout;

    DrainingServer(ThreadPool threads, Gateway gateway, Duration shutdownDelay, Duration shutdownTimeout) {
        super(threads);
        this.gateway = gateway;
        this.shutdownDelay = shutdownDelay;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    protected void doStop() throws Exception {
        gateway.beginDraining();
        if (!shutdownDelay.isZero()) {
            // Readiness has turned false: load balancers stop sending traffic while it is still served.
            LOG.info("Gateway {} keeps serving for {} before it stops accepting", gateway.config().gateway().name(),
                    Durations.format(shutdownDelay));
            Thread.sleep(shutdownDelay.toMillis());
        }
        // Stops accepting; what it returns (everything finished) is what Jetty's own stop waits for.
        Graceful.shutdown(this);
        gateway.drain(shutdownTimeout);
        super.doStop();
    }
}
