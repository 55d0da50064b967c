package io.gatewise.upstream;

import io.gatewise.client.ExchangeTracker;
import io.gatewise.client.UpstreamTransport;
import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.UpstreamProtocol;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Probes every upstream of each pool that has a health check, on the pool's own client, every
 * interval. A probe passes on the expected status; a failed probe is classified like any upstream
 * failure, so the state change says why ({@code connection_refused}, {@code dns_error}, ...).
 */
public final class HealthChecks {
    private final List<Target> targets;
    private final FailureClassifier classifier = new FailureClassifier();
    private volatile boolean running;

    /**
     * A pool to probe.
     *
     * @param pool the upstreams
     * @param check how to probe them
     * @param client the client their requests go through
     * @param protocol the HTTP version the route speaks to them, which its probes speak too
     */
    public record Target(UpstreamPool pool, HealthCheckConfig check, HttpClient client, UpstreamProtocol protocol) {
    }

    /** @param targets the pools to probe */
    public HealthChecks(List<Target> targets) {
        this.targets = List.copyOf(targets);
    }

    /**
     * Starts probing on each pool's interval.
     *
     * @param scheduler runs the probes
     */
    public void start(Scheduler scheduler) {
        running = true;
        for (Target target : targets) {
            schedule(scheduler, target);
        }
    }

    /** Stops scheduling further probes. */
    public void stop() {
        running = false;
    }

    private void schedule(Scheduler scheduler, Target target) {
        if (!running) {
            return;
        }
        scheduler.schedule(() -> probe(target).whenComplete((done, failure) -> schedule(scheduler, target)),
                target.check().interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return completes once every upstream of every checked pool was probed once, now */
    public CompletableFuture<Void> checkNow() {
        return CompletableFuture.allOf(targets.stream().map(this::probe).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> probe(Target target) {
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (Endpoint endpoint : target.pool().endpoints()) {
            probes.add(probe(target, endpoint));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> probe(Target target, Endpoint endpoint) {
        HealthCheckConfig check = target.check();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Phases only: a health endpoint's response is not held to the routes' size limits.
        ExchangeTracker tracker = new ExchangeTracker(check.timeout(), Long.MAX_VALUE, -1);
        Request request = UpstreamTransport.version(target.client().newRequest(endpoint.base() + check.path()),
                        target.protocol())
                .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .listener(tracker).onResponseBegin(tracker).onResponseHeaders(tracker);
        request.send(result -> {
            int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
            boolean passed = result.isSucceeded() && status == check.expectedStatus();
            String reason;
            String phase;
            if (result.isSucceeded()) {
                reason = "status " + status;
                phase = "done";
            } else {
                Classification classification = classifier.classify(result.getFailure(), tracker.state());
                reason = classification.type().token();
                phase = classification.phase().token();
            }
            endpoint.probed(passed, reason, phase, check.healthyThreshold(), check.unhealthyThreshold());
            done.complete(null);
        });
        return done;
    }
}
