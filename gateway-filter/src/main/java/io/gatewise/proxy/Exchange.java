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
     * @return the endpoint for another attempt, one not tried yet; null if none is left. Only a
     *     failed attempt asks, so the set of tried endpoints is kept from the first retry on.
     */
    Endpoint nextEndpoint() {
        if (tried == null) {
            tried = new HashSet<>();
        }
        tried.add(endpoint);
        return route.pool().pick(tried);
    }

    /** @param body the request body, kept to be sent with every attempt */
    void keep(ReplayableBody body) {
        this.body = body;
    }

    /** @return the kept request body; null when there is none or it streams through */
    ReplayableBody body() {
        return body;
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
