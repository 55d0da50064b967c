package io.gatewise.upstream;

import java.util.Locale;

/**
 * Where an upstream stands, from the most to the least deliberate: what the metrics
 * ({@code gatewise_upstream_state}), the admin API and the status page show. An upstream is in
 * exactly one state; the first that applies, in this order, wins.
 */
public enum UpstreamState {
    /** Its route is in maintenance: nothing is forwarded to any of its upstreams. */
    MAINTENANCE,
    /** Taken out by an operator: no new requests; those in flight finish. */
    DRAINING,
    /** Its circuit breaker is open: no attempts until it lets trials through. */
    CIRCUIT_OPEN,
    /** Active health checks failed often enough in a row. */
    UNHEALTHY,
    /** Passive health: out of rotation for a while after failures in a row. */
    EJECTED,
    /** In rotation. */
    HEALTHY;

    /** @return the lower-case name used in metrics labels and JSON, such as {@code circuit_open} */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
