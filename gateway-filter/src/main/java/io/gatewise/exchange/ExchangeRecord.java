package io.gatewise.exchange;

import io.gatewise.failure.UpstreamFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one request, written once when it ended: the one record the meters, the
 * failure log, the recent failures and the traffic windows read (see {@link ExchangeReaders}).
 * The request attribute {@link #ATTRIBUTE} holds it from then on.
 *
 * @param route the route it matched; {@link ExchangeReaders#unrouted()} for none
 * @param method the request method, as the client sent it
 * @param path the request path, without the query, as the client sent it
 * @param client the client's address, for a record with a failure (which reports it); null
 *     otherwise: formatting it costs every request
 * @param status the status the client got; {@code 500} when the gateway itself failed
 * @param durationNanos from the request's arrival at the gateway to the answer's end; 0 for an
 *     application's failure, whose arrival the gateway did not see
 * @param attempts every attempt that went to an upstream, in order
 * @param retryBudgetExhausted whether a retry was due, another upstream free, and the route's
 *     retry budget refused it
 * @param failure the failure the gateway answered, if it answered one
 * @param proxied true for a request the proxy served; false for a failure of the application's own
 *     servlets that {@code FailureCauseFilter} recorded
 * @param webSocket for a request upgraded to a WebSocket, how its session ended (its record is
 *     written then, with status {@code 101} and the session's whole duration)
 * @param trace the trace it belongs to; {@link ExchangeTrace#NONE} for none
 */
public record ExchangeRecord(RouteHandle route, String method, String path, String client, int status,
        long durationNanos, List<AttemptRecord> attempts, boolean retryBudgetExhausted,
        Optional<UpstreamFailure> failure, boolean proxied, Optional<WebSocketClose> webSocket, ExchangeTrace trace) {
    /** The request attribute that holds the record once the exchange has ended. */
    public static final String ATTRIBUTE = ExchangeRecord.class.getName();

    /** Checks the components. */
    public ExchangeRecord {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(method, "method");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(trace, "trace");
    }

    /** A record outside any trace. */
    public ExchangeRecord(RouteHandle route, String method, String path, String client, int status,
            long durationNanos, List<AttemptRecord> attempts, boolean retryBudgetExhausted,
            Optional<UpstreamFailure> failure, boolean proxied, Optional<WebSocketClose> webSocket) {
        this(route, method, path, client, status, durationNanos, attempts, retryBudgetExhausted, failure, proxied,
                webSocket, ExchangeTrace.NONE);
    }

    /** A record of a request that was not upgraded. */
    public ExchangeRecord(RouteHandle route, String method, String path, String client, int status,
            long durationNanos, List<AttemptRecord> attempts, boolean retryBudgetExhausted,
            Optional<UpstreamFailure> failure, boolean proxied) {
        this(route, method, path, client, status, durationNanos, attempts, retryBudgetExhausted, failure, proxied,
                Optional.empty());
    }

    /**
     * @param failure a failure of the application's own servlets, which the gateway did not proxy
     * @param route the unrouted handle of the readers that read it
     * @param method the request method
     * @param path the request path
     * @param client the client's address, for a record with a failure (which reports it); null
 *     otherwise: formatting it costs every request
     * @return its record
     */
    public static ExchangeRecord ofApplicationFailure(UpstreamFailure failure, RouteHandle route, String method,
            String path, String client) {
        return new ExchangeRecord(route, method, path, client, failure.status(), 0, List.of(), false,
                Optional.of(failure), false);
    }

    /** @return the upstream of the last attempt, as the config names it; empty if none was made */
    public Optional<String> lastUpstream() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1).upstream());
    }
}
