package io.gatewise.failure;

import java.util.Locale;

/**
 * How far the exchange with the upstream had come when it failed, in order. Up to and including
 * {@link #TLS} the upstream cannot have seen the request, so a retry elsewhere is always safe.
 */
public enum Phase {
    /** Choosing the route and upstream. */
    ROUTE,
    /** Resolving the upstream's name. */
    RESOLVE,
    /** Opening the TCP connection. */
    CONNECT,
    /** The TLS handshake. */
    TLS,
    /** Sending the request. */
    SEND,
    /** Request sent, waiting for the status line. */
    AWAIT_HEADERS,
    /** Reading the response headers. */
    HEADERS,
    /** Reading the response body. */
    BODY;

    private final String token = name().toLowerCase(Locale.ROOT);

    /** @return the name used in attributes and logs, such as {@code await_headers} */
    public String token() {
        return token;
    }

    /** @return whether the upstream may have received any of the request in this phase */
    public boolean upstreamMayHaveSeenRequest() {
        return compareTo(SEND) >= 0;
    }
}
