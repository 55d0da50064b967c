package io.gatewise.proxy;

import io.gatewise.client.ExchangeTracker;
import io.gatewise.client.UpstreamTransport;
import io.gatewise.config.RouteConfig;
import io.gatewise.exchange.AttemptRecord;
import io.gatewise.failure.Classification;
import io.gatewise.route.Route;
import io.gatewise.upstream.Lease;
import io.gatewise.upstream.UpstreamState;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * One attempt of an exchange: one upstream under its {@link Lease}, the upstream URL, the
 * proxy-to-server request and the {@link ExchangeTracker} that follows it. Its end is reported
 * once, as an {@link AttemptRecord}, when its lease takes a verdict (or none).
 */
final class UpstreamAttempt {
    private final int number;
    private final Lease lease;
    private final String target;
    private final ExchangeTracker tracker;
    private volatile Request proxyRequest;

    /**
     * @param number its number in the exchange, from 1
     * @param route the route
     * @param lease the lease on its upstream
     * @param rawPath the request path within the gateway, percent-encoded
     * @param rawQuery the raw query string, or null
     */
    UpstreamAttempt(int number, Route route, Lease lease, String rawPath, String rawQuery) {
        RouteConfig config = route.config();
        this.number = number;
        this.lease = lease;
        this.tracker = new ExchangeTracker(config.timeouts().response(), config.limits().maxResponseHeaderSize(),
                config.limits().maxResponseBodySize());
        this.target = route.target(lease.endpoint(), rawPath, rawQuery);
    }

    /**
     * Creates its proxy-to-server request, followed by its tracker, with the route's idle timeout.
     *
     * @param client the route's client
     * @param route the route
     * @param method the client request's method
     * @return the request, not sent
     */
    Request newRequest(HttpClient client, Route route, String method) {
        // The path and query go to Jetty as the client sent them: a query with {, |, ^ or a bare %
        // is no URI, so it is not parsed as one, and reaches the upstream unchanged (as nginx forwards it).
        URI origin = lease.endpoint().origin();
        Request request = UpstreamTransport.version(client.newRequest(origin), route.config().protocol())
                .path(target.substring(origin.toString().length()))
                .method(method)
                .idleTimeout(route.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS)
                .listener(tracker)
                .onResponseBegin(tracker)
                .onResponseHeader(tracker)
                .onResponseHeaders(tracker);
        if (route.config().limits().maxResponseBodySize() >= 0) {
            // A second content listener makes Jetty split every chunk between listeners: only with a limit to enforce.
            request.onResponseContent(tracker);
        }
        return request;
    }

    /**
     * @param outcome how it ended
     * @param errorType for a failed attempt, how the metrics label the failure; null otherwise
     * @param classification for a failed attempt the classifier classified, how; null otherwise
     * @return its record
     */
    AttemptRecord record(AttemptRecord.Outcome outcome, String errorType, Classification classification) {
        Integer status = tracker.receivedStatus();
        UpstreamState changed = lease.changedState();
        return new AttemptRecord(number, upstreamUrl(), outcome, errorType, tracker.elapsedNanos(),
                status == null ? 0 : status, classification == null ? null : classification.cause().token(),
                classification == null ? null : classification.phase().token(),
                changed == null ? null : changed.token());
    }

    /** @return its upstream, as configured: how the metrics name it */
    String upstreamUrl() {
        return lease.endpoint().config().url().toString();
    }

    int number() {
        return number;
    }

    Lease lease() {
        return lease;
    }

    /** @return its upstream URL */
    String target() {
        return target;
    }

    ExchangeTracker tracker() {
        return tracker;
    }

    /** @return its proxy-to-server request; null before it is sent */
    Request proxyRequest() {
        return proxyRequest;
    }

    void sending(Request request) {
        proxyRequest = request;
    }
}
