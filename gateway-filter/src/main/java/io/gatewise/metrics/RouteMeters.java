package io.gatewise.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One route's request meters, held by the route's handle: a request finds its timer in a short
 * array of the statuses its method got so far, with no key allocated and no map consulted. The
 * rarer meters (failed attempts, errors) are found in maps of the route's own.
 */
final class RouteMeters {
    /** The methods with a label of their own, then {@code other}. */
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
        "CONNECT", "other"};

    private final String route;
    private final MeterRegistry registry;
    /** Per method, the timers of the statuses seen so far; copied on write, read without a lock. */
    private final StatusTimer[][] timers = new StatusTimer[METHODS.length][];
    private final Counter[] retries;
    private final Counter budgetExhausted;
    private final Map<Object, Counter> counters = new ConcurrentHashMap<>();

    private record StatusTimer(int status, Timer timer) {
    }

    RouteMeters(String route, MeterRegistry registry, boolean registerRetries) {
        this.route = route;
        this.registry = registry;
        for (int i = 0; i < timers.length; i++) {
            timers[i] = new StatusTimer[0];
        }
        // Registered at zero for a configured route, so rates over them work before its first retry.
        this.retries = new Counter[RetryResult.values().length];
        if (registerRetries) {
            for (RetryResult result : RetryResult.values()) {
                retries[result.ordinal()] = newRetries(result);
            }
        }
        this.budgetExhausted = registerRetries ? Counter.builder(MetricNames.RETRY_BUDGET_EXHAUSTED)
                .description("Retries the route's retry budget refused")
                .tags(MetricNames.ROUTE, route)
                .register(registry) : null;
    }

    String route() {
        return route;
    }

    void requestAnswered(String method, int status, long durationNanos) {
        int index = methodIndex(method);
        StatusTimer[] seen = timers[index];
        for (StatusTimer timer : seen) {
            if (timer.status == status) {
                timer.timer.record(durationNanos, TimeUnit.NANOSECONDS);
                return;
            }
        }
        timer(index, status).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized Timer timer(int method, int status) {
        StatusTimer[] seen = timers[method];
        for (StatusTimer timer : seen) {
            if (timer.status == status) {
                return timer.timer;
            }
        }
        Timer timer = Timer.builder(MetricNames.REQUESTS)
                .description("Requests the gateway answered, from arrival to the answer's end")
                .tags(MetricNames.ROUTE, route, MetricNames.METHOD, METHODS[method],
                        MetricNames.STATUS, Integer.toString(status))
                .serviceLevelObjectives(RequestMeters.BUCKETS)
                .register(registry);
        StatusTimer[] grown = Arrays.copyOf(seen, seen.length + 1);
        grown[seen.length] = new StatusTimer(status, timer);
        timers[method] = grown;
        return timer;
    }

    void retryEnded(RetryResult result) {
        Counter counter = retries[result.ordinal()];
        if (counter == null) {
            counter = counter(result, key -> newRetries(result));
        }
        counter.increment();
    }

    private Counter newRetries(RetryResult result) {
        return Counter.builder(MetricNames.RETRIES)
                .description("Retries, by how their attempt ended")
                .tags(MetricNames.ROUTE, route, MetricNames.RESULT, result.token())
                .register(registry);
    }

    void retryBudgetExhausted() {
        if (budgetExhausted != null) {
            budgetExhausted.increment();
        }
    }

    /**
     * @param key what tells the counter from the route's others: a record of its label values
     * @param create registers it, on first use
     * @return the counter
     */
    Counter counter(Object key, Function<Object, Counter> create) {
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key, create);
    }

    /** @return every meter registered for the route */
    synchronized List<Meter> meters() {
        List<Meter> all = new ArrayList<>(counters.values());
        for (StatusTimer[] seen : timers) {
            for (StatusTimer timer : seen) {
                all.add(timer.timer);
            }
        }
        for (Counter counter : retries) {
            if (counter != null) {
                all.add(counter);
            }
        }
        if (budgetExhausted != null) {
            all.add(budgetExhausted);
        }
        return all;
    }

    /** @return the method's index: one of the standard methods, else {@code other} */
    static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "PATCH" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "CONNECT" -> 8;
            default -> 9;
        };
    }

    /** @return the method as a label: one of the standard methods, else {@code other} */
    static String method(String method) {
        return METHODS[methodIndex(method)];
    }
}
