package io.gatewise.runtime;

/**
 * Where a {@link Gateway} is in its life: what a readiness check answers from. Only a
 * {@link #READY} gateway should get new traffic.
 *
 * <pre>
 * STARTING --start()--&gt; READY --drain()--&gt; DRAINING --stop()--&gt; STOPPED --start()--&gt; READY
 *          \-start()--&gt; WARMING --warmedUp()--&gt; READY       (with {@code gateway.warmup})
 * </pre>
 */
public enum GatewayState {
    /** Built, its upstream clients not started yet: not serving. */
    STARTING,
    /**
     * Started, and warming its own hot path before it takes traffic ({@code gateway.warmup}): it
     * serves what arrives, but a readiness check fails until the warm-up ends.
     */
    WARMING,
    /** Its upstream clients and health checks run: serving. */
    READY,
    /**
     * Stopping: what is in flight may finish until the shutdown deadline, and requests that still
     * arrive are served, but a load balancer should send no more. Entered before the server stops
     * accepting connections.
     */
    DRAINING,
    /** Its upstream clients and health checks are stopped; it may be started again. */
    STOPPED
}
