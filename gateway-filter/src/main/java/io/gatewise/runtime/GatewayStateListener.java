package io.gatewise.runtime;

/**
 * Told when a {@link Gateway} changes its {@link GatewayState}: what a readiness endpoint or a
 * service registration follows. Called on the thread that makes the change, once the new state
 * is set and before anything else of the change happens: a listener sees
 * {@link GatewayState#DRAINING} while the server still accepts connections. A listener that
 * throws is logged and the change goes on.
 */
@FunctionalInterface
public interface GatewayStateListener {
    /**
     * @param previous the state it leaves
     * @param current the state it enters
     */
    void onStateChange(GatewayState previous, GatewayState current);
}
