package io.gatewise.metrics;

import io.gatewise.failure.UpstreamFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The meters fed by the proxy's reports: the request timer and the failure, retry and budget
 * counters. Each meter is registered on its first use and then found in a map of its own, so a
 * request pays a hash lookup, not a registration. Label values come from the config and from
 * fixed vocabularies only, so the number of meters stays bounded.
 */
final class RequestMeters implements ExchangeObserver {
    /** The request timer's histogram buckets: Prometheus's usual ones, stretched to a minute for slow upstreams. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<AttemptKey, Counter> attemptFailures = new ConcurrentHashMap<>();
    private final Map<RetryKey, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> budgetExhausted = new ConcurrentHashMap<>();
    private final Map<ErrorKey, Counter> proxyErrors = new ConcurrentHashMap<>();

    private record RequestKey(String route, String method, int status) {
    }

    private record AttemptKey(String route, String upstream, String errorType) {
    }

    private record RetryKey(String route, RetryResult result) {
    }

    private record ErrorKey(String route, String upstream, String errorType, String cause, String phase) {
    }

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestAnswered(String route, String method, int status, long durationNanos) {
        RequestKey key = new RequestKey(route, method(method), status);
        Timer timer = requests.get(key);
        if (timer == null) {
            timer = requests.computeIfAbsent(key, this::newTimer);
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer newTimer(RequestKey key) {
        return Timer.builder(MetricNames.REQUESTS)
                .description("Requests the gateway answered, from arrival to the answer's end")
                .tags(MetricNames.ROUTE, key.route(), MetricNames.METHOD, key.method(),
                        MetricNames.STATUS, Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public void attemptFailed(String route, String upstream, String errorType) {
        attemptFailures.computeIfAbsent(new AttemptKey(route, upstream, errorType), key -> Counter
                .builder(MetricNames.UPSTREAM_ATTEMPT_FAILURES)
                .description("Attempts that failed, retried or not")
                .tags(MetricNames.ROUTE, key.route(), MetricNames.UPSTREAM, key.upstream(),
                        MetricNames.ERROR_TYPE, key.errorType())
                .register(registry)).increment();
    }

    /**
     * Registers a route's retry and budget counters at zero, so that they exist (and rates over
     * them work) before its first retry.
     *
     * @param route the route's path
     */
    void registerRoute(String route) {
        for (RetryResult result : RetryResult.values()) {
            retries(route, result);
        }
        budgetExhausted(route);
    }

    /**
     * Removes the meters of routes the gateway no longer has, so that reloads do not add up in
     * the registry or the scrape. Requests no route matched keep theirs.
     *
     * @param paths the configured paths of the routes that remain
     */
    void retainRoutes(Set<String> paths) {
        Predicate<String> gone = route -> !route.equals(MetricNames.NONE) && !paths.contains(route);
        remove(requests, key -> gone.test(key.route()));
        remove(attemptFailures, key -> gone.test(key.route()));
        remove(retries, key -> gone.test(key.route()));
        remove(budgetExhausted, gone);
        remove(proxyErrors, key -> gone.test(key.route()));
    }

    private <K> void remove(Map<K, ? extends Meter> meters, Predicate<K> gone) {
        meters.entrySet().removeIf(entry -> {
            if (gone.test(entry.getKey())) {
                registry.remove(entry.getValue());
                return true;
            }
            return false;
        });
    }

    @Override
    public void retryEnded(String route, RetryResult result) {
        retries(route, result).increment();
    }

    private Counter retries(String route, RetryResult result) {
        return retries.computeIfAbsent(new RetryKey(route, result), key -> Counter.builder(MetricNames.RETRIES)
                .description("Retries, by how their attempt ended")
                .tags(MetricNames.ROUTE, key.route(), MetricNames.RESULT, key.result().token())
                .register(registry));
    }

    @Override
    public void retryBudgetExhausted(String route) {
        budgetExhausted(route).increment();
    }

    private Counter budgetExhausted(String route) {
        return budgetExhausted.computeIfAbsent(route, key -> Counter.builder(MetricNames.RETRY_BUDGET_EXHAUSTED)
                .description("Retries the route's retry budget refused")
                .tags(MetricNames.ROUTE, key)
                .register(registry));
    }

    @Override
    public void proxyError(String route, String upstream, UpstreamFailure failure) {
        proxyErrors.computeIfAbsent(new ErrorKey(route, upstream, failure.type().token(), failure.cause().token(),
                failure.phase().token()), key -> Counter.builder(MetricNames.PROXY_ERRORS)
                        .description("Requests the gateway answered with its own error")
                        .tags(MetricNames.ROUTE, key.route(), MetricNames.UPSTREAM, key.upstream(),
                                MetricNames.ERROR_TYPE, key.errorType(), MetricNames.CAUSE, key.cause(),
                                MetricNames.PHASE, key.phase())
                        .register(registry)).increment();
    }

    /** @return the method as a label: one of the standard methods, else {@code other} */
    static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" -> method;
            default -> "other";
        };
    }
}
