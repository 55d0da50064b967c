package io.gatewise.exchange;

/**
 * Reads every exchange record once, when its exchange ends: on the thread that ended it, so it
 * must not block.
 *
 * @param <S> what it keeps per route: made once per route, so a record's reading finds it without
 *     a lookup
 */
public interface ExchangeReader<S> {
    /**
     * Called when a route is built (at start and on each reload), never per request. A reload that
     * keeps a route's path asks again: return the same state to keep counting.
     *
     * @param route the route's configured path, or {@link RouteHandle#UNROUTED}
     * @return its state for that route; null if it keeps none
     */
    default S routeState(String route) {
        return null;
    }

    /**
     * @param record the exchange that ended
     * @param routeState its state for the record's route, as {@link #routeState} made it
     */
    void exchangeEnded(ExchangeRecord record, S routeState);
}
