package io.gatewise.proxy;

import io.gatewise.config.HealthCheck;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.upstream.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Probes every upstream of each route that has a health check, on the route's own client, every
 * interval. A probe passes on the expected status; a failed probe is classified like any upstream
 * failure, so the state change says why ({@code connection_refused}, {@code dns_error}, ...).
 */
final class ActiveHealthChecks {
    private final RouteTable routes;
    private final UpstreamClients clients;
    private final FailureClassifier classifier = new FailureClassifier();
    private volatile boolean running;

    ActiveHealthChecks(RouteTable routes, UpstreamClients clients) {
        this.routes = routes;
        this.clients = clients;
    }

    /** Starts probing on each route's interval. */
    void start(Scheduler scheduler) {
        running = true;
        for (Route route : routes.routes()) {
            route.config().healthCheck().ifPresent(check -> schedule(scheduler, route, check));
        }
    }

    /** Stops scheduling further probes. */
    void stop() {
        running = false;
    }

    private void schedule(Scheduler scheduler, Route route, HealthCheck check) {
        if (!running) {
            return;
        }
        scheduler.schedule(() -> probe(route, check).whenComplete((done, failure) -> schedule(scheduler, route, check)),
                check.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return completes once every upstream of every checked route was probed once, now */
    CompletableFuture<Void> checkNow() {
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (Route route : routes.routes()) {
            route.config().healthCheck().ifPresent(check -> probes.add(probe(route, check)));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> probe(Route route, HealthCheck check) {
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (Endpoint endpoint : route.pool().endpoints()) {
            probes.add(probe(clients.clientFor(route), endpoint, check));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> probe(HttpClient client, Endpoint endpoint, HealthCheck check) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Phases only: a health endpoint's response is not held to the routes' size limits.
        ExchangeTracker tracker = new ExchangeTracker(check.timeout(), Long.MAX_VALUE, -1);
        Request request = client.newRequest(endpoint.base() + check.path())
                .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .listener(tracker).onResponseBegin(tracker).onResponseHeaders(tracker);
        request.send(result -> {
            int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
            boolean passed = result.isSucceeded() && status == check.expectedStatus();
            String reason = result.isSucceeded() ? "status " + status
                    : classifier.classify(result.getFailure(), tracker.state()).type().token();
            endpoint.probed(passed, reason, check.healthyThreshold(), check.unhealthyThreshold());
            done.complete(null);
        });
        return done;
    }
}
