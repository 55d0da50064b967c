package io.gatewise.runtime;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a gateway is in its life ({@link GatewayState}) and who follows it: a readiness check
 * turns false the moment it leaves {@code READY}.
 */
final class GatewayLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);

    private final AtomicReference<GatewayState> state = new AtomicReference<>(GatewayState.STARTING);
    private final List<GatewayStateListener> listeners = new CopyOnWriteArrayList<>();

    GatewayState state() {
        return state.get();
    }

    void addListener(GatewayStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Moves to a state, telling the listeners if it changed. */
    void moveTo(GatewayState next) {
        GatewayState previous = state.getAndSet(next);
        if (previous != next) {
            tell(previous, next);
        }
    }

    /**
     * Moves from one state to another, telling the listeners, only if it is in the first.
     *
     * @return whether it moved
     */
    boolean move(GatewayState from, GatewayState to) {
        if (state.compareAndSet(from, to)) {
            tell(from, to);
            return true;
        }
        return false;
    }

    /** @return whether this call turned it {@code DRAINING}: only from starting, warming or ready */
    boolean beginDraining() {
        GatewayState current = state.get();
        while (current == GatewayState.STARTING || current == GatewayState.WARMING || current == GatewayState.READY) {
            if (state.compareAndSet(current, GatewayState.DRAINING)) {
                tell(current, GatewayState.DRAINING);
                return true;
            }
            current = state.get();
        }
        return false;
    }

    private void tell(GatewayState previous, GatewayState current) {
        for (GatewayStateListener listener : listeners) {
            try {
                listener.onStateChange(previous, current);
            } catch (RuntimeException e) {
                LOG.warn("State listener {} failed on {} -> {}", listener, previous, current, e);
            }
        }
    }
}
