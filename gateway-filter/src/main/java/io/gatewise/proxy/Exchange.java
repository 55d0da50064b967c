package io.gatewise.proxy;

import io.gatewise.config.RouteConfig;
import io.gatewise.failure.Attempt;
import io.gatewise.failure.Classification;
import io.gatewise.upstream.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One client request on its way through a route: the attempts made so far, each to one upstream
 * with its own {@link ExchangeTracker}. Used by one request at a time.
 */
final class Exchange {
    private final Route route;
    private final String rawPath;
    private final String rawQuery;
    private final long startNanos = System.nanoTime();
    private Set<Endpoint> tried;
    private final List<Attempt> attempts = new ArrayList<>();
    private Endpoint endpoint;
    private ExchangeTracker tracker;
    private ReplayableBody body;
    private Endpoint pendingRetry;
    private int interceptedStatus;
    private volatile FlushingResponseWriter writer;

    Exchange(Route route, String rawPath, String rawQuery) {
        this.route = route;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
    }

    /**
     * Starts an attempt on an endpoint.
     *
     * @param next the endpoint
     * @return the upstream URL of the attempt
     */
    String begin(Endpoint next) {
        RouteConfig config = route.config();
        endpoint = next;
        tracker = new ExchangeTracker(config.timeouts().response(), config.limits().maxResponseHeaderSize(),
                config.limits().maxResponseBodySize());
        return route.target(next, rawPath, rawQuery);
    }

    /**
     * Records how the current attempt failed.
     *
     * @param classification the classification of the failure
     */
    void failed(Classification classification) {
        attempts.add(new Attempt(endpoint.nextHop(), classification.type(), classification.phase(),
                tracker.elapsed()));
    }

    /**
     * Records that the upstream of the current attempt answered with a status the route tries
     * elsewhere.
     *
     * @param status the status
     */
    void answered(int status) {
        attempts.add(Attempt.answered(endpoint.nextHop(), status, tracker.elapsed()));
    }

    /**
     * Picks the endpoint for another attempt: one not tried yet, while the route's retry budget
     * lasts. Only a failed attempt asks, so the set of tried endpoints is kept from the first retry on.
     *
     * @return the endpoint, its circuit permit taken; null if none is left or the budget is spent
     */
    Endpoint nextAttempt() {
        if (tried == null) {
            tried = new HashSet<>();
        }
        tried.add(endpoint);
        Endpoint next = route.pool().pick(tried);
        if (next != null && !route.retryBudget().tryRetry()) {
            next.unused();
            return null;
        }
        return next;
    }

    /** @param body the request body, kept to be sent with every attempt */
    void keep(ReplayableBody body) {
        this.body = body;
    }

    /** @return the kept request body; null when there is none or it streams through */
    ReplayableBody body() {
        return body;
    }

    /** @param next the endpoint the next attempt goes to, once the current one has ended */
    void retryOn(Endpoint next) {
        pendingRetry = next;
    }

    /** @return the endpoint the next attempt goes to, and forgets it; null if no retry is pending */
    Endpoint takePendingRetry() {
        Endpoint next = pendingRetry;
        pendingRetry = null;
        return next;
    }

    /** @param status an upstream error status the gateway answers with its own page instead */
    void intercept(int status) {
        interceptedStatus = status;
    }

    /** @return the intercepted upstream status; 0 when the upstream's answer passes through */
    int interceptedStatus() {
        return interceptedStatus;
    }

    /** @param writer writes the upstream's body to the client, from its first piece on */
    void writeWith(FlushingResponseWriter writer) {
        this.writer = writer;
    }

    /**
     * @return the writer of the upstream's body; null until its first piece. Once there is one, the
     *     client's stream is in non-blocking mode and the response can no longer be replaced
     */
    FlushingResponseWriter writer() {
        return writer;
    }

    Route route() {
        return route;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    ExchangeTracker tracker() {
        return tracker;
    }

    /** @return the failed attempts, in order */
    List<Attempt> attempts() {
        return attempts;
    }

    /** @return time since the first attempt began */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
