package io.gatewise.exchange;

/**
 * A route as the readers of exchange records know it: its configured path, and each reader's
 * state for it, made once when the route was built (see {@link ExchangeReaders#handle}). A reload
 * that keeps a route's path gets a handle with the same states, so counting goes on.
 */
public final class RouteHandle {
    /** The path under which requests no route matched are counted. */
    public static final String UNROUTED = "-";

    private final String path;
    private final Object[] states;

    RouteHandle(String path, Object[] states) {
        this.path = path;
        this.states = states;
    }

    /** @return the route's configured path, such as {@code /api/}; {@value #UNROUTED} for no route */
    public String path() {
        return path;
    }

    /** @return whether it stands for no route: a request that matched none, or an application's own */
    public boolean unrouted() {
        return UNROUTED.equals(path);
    }

    Object state(int reader) {
        return states[reader];
    }

    @Override
    public String toString() {
        return "RouteHandle[" + path + "]";
    }
}
