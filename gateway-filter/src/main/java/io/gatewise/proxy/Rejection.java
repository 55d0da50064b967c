package io.gatewise.proxy;

import io.gatewise.route.Route;
import io.gatewise.config.ServerConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.time.Clock;

/**
 * Why a request was sent to no upstream, and the failure the gateway answers it with.
 *
 * @param kind why
 * @param route the route it matched; null when it matched none or was not matched
 * @param startNanos when the request was routed, on the {@link System#nanoTime()} scale
 */
record Rejection(Kind kind, Route route, long startNanos) implements Routed {
    /** Why a request was sent to no upstream. */
    enum Kind {
        /** The path escapes the root or hides dot segments: the client's error. */
        BAD_PATH,
        /** The request already passed through this gateway. */
        LOOP,
        /** No route matches the path. */
        NO_ROUTE,
        /** Every upstream of the route is out. */
        NO_UPSTREAM,
        /** The route is in maintenance. */
        MAINTENANCE,
        /** A {@code TRACE} the route does not allow: the client's request, answered 405. */
        TRACE_NOT_ALLOWED,
        /** A transfer coding besides {@code chunked}, which the gateway cannot undo: answered 501 (RFC 9112 6.1). */
        UNSUPPORTED_TRANSFER_CODING,
        /** {@code Transfer-Encoding} in an HTTP/1.0 request: faulty framing, answered 400 and closed (RFC 9112 6.1). */
        FAULTY_FRAMING
    }

    /**
     * @param kind why
     * @param route the route it matched; null when it matched none or was not matched
     */
    Rejection(Kind kind, Route route) {
        this(kind, route, System.nanoTime());
    }

    static Rejection of(Kind kind) {
        return new Rejection(kind, null);
    }

    /** @return whether the client's request is at fault: answered {@link #clientStatus()}, recorded nowhere */
    boolean clientError() {
        return clientStatus() != 0;
    }

    /** @return the status of a {@link #clientError()}; 0 for a rejection that is a failure */
    int clientStatus() {
        return switch (kind) {
            case BAD_PATH, FAULTY_FRAMING -> 400;
            case TRACE_NOT_ALLOWED -> 405;
            case UNSUPPORTED_TRANSFER_CODING -> 501;
            default -> 0;
        };
    }

    /**
     * @param gateway the gateway's settings: its name and the status for an unmatched path
     * @return the failure to record and answer with; not for a {@link #clientError()}
     */
    UpstreamFailure failure(ServerConfig gateway) {
        UpstreamFailure.Builder failure = UpstreamFailure.builder().phase(Phase.ROUTE).incident(IncidentIds.next());
        if (route != null) {
            failure.route(route.config().path());
        }
        return switch (kind) {
            case MAINTENANCE -> failure.type(ProxyErrorType.DESTINATION_UNAVAILABLE).cause(FailureCause.MAINTENANCE)
                    .reason("the route is in maintenance").build();
            case NO_UPSTREAM -> failure.type(ProxyErrorType.DESTINATION_UNAVAILABLE)
                    .reason("every upstream of the route is out (ejected, unhealthy or drained)").build();
            case LOOP -> failure.type(ProxyErrorType.PROXY_LOOP_DETECTED)
                    .reason("request already passed through " + gateway.name()).build();
            case NO_ROUTE -> failure.type(ProxyErrorType.DESTINATION_NOT_FOUND).status(gateway.noRouteStatus())
                    .reason("no route matches the path").build();
            case BAD_PATH, TRACE_NOT_ALLOWED, UNSUPPORTED_TRANSFER_CODING, FAULTY_FRAMING -> throw new IllegalStateException(kind + " is the client's error, not a"
                    + " failure");
        };
    }

    /**
     * @param clock the gateway's clock
     * @param fallback the configured {@code Retry-After}, in seconds
     * @return seconds until the route's first upstream returns, when every one is out and one's
     *     return is known; else the fallback
     */
    long retryAfterSeconds(Clock clock, long fallback) {
        long earliest = kind == Kind.NO_UPSTREAM ? route.pool().earliestReturnMillis() : 0;
        return earliest > 0 ? Math.max(1, (earliest - clock.millis() + 999) / 1000) : fallback;
    }
}
