package io.gatewise.failure;

import java.util.Locale;

/**
 * The causes people recognise: what a failure usually means and which hints help. Each
 * {@link ProxyErrorType} belongs to one, and a few depend on the phase (a connection terminated
 * before any byte means the upstream is down; in the middle of the exchange, the network).
 */
public enum FailureCause {
    /** The upstream process is not running, crashed or is restarting. */
    UPSTREAM_DOWN,
    /** The upstream is alive but does not answer in time. */
    UPSTREAM_OVERLOADED,
    /** The path between gateway and upstream is broken or lossy. */
    NETWORK,
    /** Packets are silently dropped, or a policy forbids the address. */
    FIREWALL,
    /** The upstream's name does not resolve, or the resolver is slow. */
    DNS,
    /** The TLS handshake failed: certificate, protocol or an alert. */
    TLS,
    /** The upstream answered, but not with valid HTTP within the limits. */
    INVALID_RESPONSE,
    /** The gateway's own routing or upstream address is wrong. */
    CONFIGURATION,
    /** Every upstream is out, or a limit is reached. */
    NO_CAPACITY,
    /** An operator put the route or upstream in maintenance. */
    MAINTENANCE,
    /** The gateway itself failed. */
    GATEWAY_INTERNAL,
    /** The gateway is shutting down and ended the request at its shutdown deadline. */
    GATEWAY_STOPPING;

    private final String token = name().toLowerCase(Locale.ROOT);

    /** @return the name used in attributes, logs and pages, such as {@code upstream_down} */
    public String token() {
        return token;
    }
}
