package io.gatewise.metrics;

import io.gatewise.exchange.AttemptRecord;
import io.gatewise.exchange.ExchangeReader;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.exchange.WebSocketClose;
import io.gatewise.failure.UpstreamFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters read from each exchange record: the request timer and the failure, retry and budget
 * counters. Each route's meters hang on its handle ({@link RouteMeters}), made when the route is
 * built, so a request pays no lookup by route. Label values come from the config and from fixed
 * vocabularies only, so the number of meters stays bounded.
 */
final class RequestMeters implements ExchangeReader<RouteMeters> {
    /** The request timer's histogram buckets: Prometheus's usual ones, stretched to a minute for slow upstreams. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();

    private record AttemptKey(String upstream, String errorType) {
    }

    private record ErrorKey(String upstream, String errorType, String cause, String phase) {
    }

    private record CloseKey(int code, String initiator) {
    }

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a configured route's retry and budget counters at zero; a kept route keeps its meters. */
    @Override
    public RouteMeters routeState(String route) {
        return routes.computeIfAbsent(route, path -> new RouteMeters(path, registry, !path.equals(MetricNames.NONE)));
    }

    @Override
    public void exchangeEnded(ExchangeRecord record, RouteMeters meters) {
        if (!record.proxied()) {
            // A failure of the application's own servlets: the failure log and listeners have it.
            return;
        }
        meters.requestAnswered(record.method(), record.status(), record.durationNanos());
        for (AttemptRecord attempt : record.attempts()) {
            if (attempt.outcome() == AttemptRecord.Outcome.FAILED) {
                attemptFailed(meters, attempt);
            }
            if (attempt.retry()) {
                meters.retryEnded(RetryResult.of(attempt.outcome()));
            }
        }
        if (record.retryBudgetExhausted()) {
            meters.retryBudgetExhausted();
        }
        if (record.failure().isPresent()) {
            proxyError(meters, record.lastUpstream().orElse(MetricNames.NONE), record.failure().get());
        }
        if (record.webSocket().isPresent()) {
            webSocketClosed(meters, record.webSocket().get());
        }
    }

    private void webSocketClosed(RouteMeters meters, WebSocketClose close) {
        meters.counter(new CloseKey(close.code(), close.initiator()), key -> Counter
                .builder(MetricNames.WEBSOCKET_CLOSES)
                .description("WebSocket sessions that ended, by the close code the gateway sent and who ended them")
                .tags(MetricNames.ROUTE, meters.route(), MetricNames.CODE, Integer.toString(close.code()),
                        MetricNames.INITIATOR, close.initiator())
                .register(registry)).increment();
    }

    private void attemptFailed(RouteMeters meters, AttemptRecord attempt) {
        meters.counter(new AttemptKey(attempt.upstream(), attempt.errorType()), key -> Counter
                .builder(MetricNames.UPSTREAM_ATTEMPT_FAILURES)
                .description("Attempts that failed, retried or not")
                .tags(MetricNames.ROUTE, meters.route(), MetricNames.UPSTREAM, attempt.upstream(),
                        MetricNames.ERROR_TYPE, attempt.errorType())
                .register(registry)).increment();
    }

    private void proxyError(RouteMeters meters, String upstream, UpstreamFailure failure) {
        ErrorKey errorKey = new ErrorKey(upstream, failure.type().token(), failure.cause().token(),
                failure.phase().token());
        meters.counter(errorKey, key -> Counter.builder(MetricNames.PROXY_ERRORS)
                .description("Requests the gateway answered with its own error")
                .tags(MetricNames.ROUTE, meters.route(), MetricNames.UPSTREAM, errorKey.upstream(),
                        MetricNames.ERROR_TYPE, errorKey.errorType(), MetricNames.CAUSE, errorKey.cause(),
                        MetricNames.PHASE, errorKey.phase())
                .register(registry)).increment();
    }

    /**
     * Removes the meters of routes the gateway no longer has, so that reloads do not add up in
     * the registry or the scrape. Requests no route matched keep theirs.
     *
     * @param paths the configured paths of the routes that remain
     */
    void retainRoutes(Set<String> paths) {
        routes.values().removeIf(meters -> {
            if (meters.route().equals(MetricNames.NONE) || paths.contains(meters.route())) {
                return false;
            }
            meters.meters().forEach(registry::remove);
            return true;
        });
    }

    /** @return the method as a label: one of the standard methods, else {@code other} */
    static String method(String method) {
        return RouteMeters.method(method);
    }
}
