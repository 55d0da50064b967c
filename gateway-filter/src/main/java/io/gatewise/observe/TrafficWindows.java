package io.gatewise.observe;

import io.gatewise.failure.UpstreamFailure;
import io.gatewise.exchange.ExchangeReader;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.exchange.RouteHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests and the gateway's own error answers per route over the last minutes, in 10-second
 * buckets, for the status page's error rates. Its memory is bounded by what the config declares:
 * routes times error types times 30 buckets; unrouted requests count under {@code -}. A reload
 * that removes routes forgets them ({@link #retainRoutes}), so reloads do not add up. It also
 * keeps the latest failure of each route and error type, which alerts quote (cause, phase, a
 * sample {@code Proxy-Status}).
 */
public final class TrafficWindows implements ExchangeReader<TrafficWindows.RouteBuckets> {
    /** The longest window it answers for. */
    public static final Duration LONGEST = Duration.ofMinutes(5);
    private static final long BUCKET_MILLIS = 10_000;
    private static final int BUCKETS = (int) (LONGEST.toMillis() / BUCKET_MILLIS);
    /** Where answers no route matched count: the metrics' name for "no route". */
    private static final String UNROUTED = RouteHandle.UNROUTED;

    private final Clock clock;
    private final Map<String, RouteBuckets> routes = new ConcurrentHashMap<>();

    /**
     * One route's buckets: requests and errors by type, each slot stamped with its bucket number.
     * Each route has its own lock, taken for errors and to move a slot to a new bucket; a request
     * that ends without an error counts with one atomic increment once its bucket's slot is current.
     */
    static final class RouteBuckets {
        final AtomicLongArray stamp = new AtomicLongArray(BUCKETS);
        final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
        final Map<String, long[]> errors = new HashMap<>();
        final Map<String, UpstreamFailure> latest = new HashMap<>();

        /** Under the lock: the slot of that bucket, cleared first if it held an older one. */
        int slot(long bucket) {
            int slot = (int) (bucket % BUCKETS);
            if (stamp.get(slot) != bucket) {
                // Cleared before the stamp moves: a request that sees the new stamp counts after the clearing.
                requests.set(slot, 0);
                errors.values().forEach(counts -> counts[slot] = 0);
                stamp.set(slot, bucket);
            }
            return slot;
        }

        /** Counts a request in that bucket: without the lock unless the slot must move to it first. */
        void countRequest(long bucket) {
            int slot = (int) (bucket % BUCKETS);
            if (stamp.get(slot) == bucket) {
                requests.incrementAndGet(slot);
                return;
            }
            synchronized (this) {
                requests.incrementAndGet(slot(bucket));
            }
        }
    }

    /**
     * Counts in one window.
     *
     * @param requests requests answered
     * @param errors the gateway's own error answers by RFC 9209 type, in type order
     */
    public record Window(long requests, Map<String, Long> errors) {
        /** @return the share of requests the gateway answered with an error, 0 to 1; 0 without requests */
        public double errorRatio() {
            long total = errors.values().stream().mapToLong(Long::longValue).sum();
            return requests == 0 ? 0 : Math.min(1, (double) total / requests);
        }
    }

    /** @param clock what tells the time */
    public TrafficWindows(Clock clock) {
        this.clock = clock;
    }

    /** @return the route's buckets, the same for a route a reload keeps */
    @Override
    public RouteBuckets routeState(String route) {
        return buckets(route);
    }

    /**
     * Counts a request the proxy answered, and the gateway's own error answer if it was one (an
     * application's failure that {@code FailureCauseFilter} recorded counts as an error only,
     * under {@code -}).
     */
    @Override
    public void exchangeEnded(ExchangeRecord record, RouteBuckets buckets) {
        UpstreamFailure failure = record.failure().orElse(null);
        if (failure == null && !record.proxied()) {
            return;
        }
        long bucket = bucket();
        if (failure == null) {
            buckets.countRequest(bucket);
            return;
        }
        synchronized (buckets) {
            int slot = buckets.slot(bucket);
            if (record.proxied()) {
                buckets.requests.incrementAndGet(slot);
            }
            buckets.errors.computeIfAbsent(failure.type().token(), key -> new long[BUCKETS])[slot]++;
            buckets.latest.put(failure.type().token(), failure);
        }
    }

    /**
     * Forgets every route but these, and the unrouted count: a reload calls it with the routes it
     * kept. An answer still in flight on a removed route counts under it until the next reload.
     *
     * @param paths the configured paths of the routes that remain
     */
    public void retainRoutes(Set<String> paths) {
        routes.keySet().removeIf(route -> !route.equals(UNROUTED) && !paths.contains(route));
    }

    private RouteBuckets buckets(String route) {
        RouteBuckets buckets = routes.get(route);
        return buckets != null ? buckets : routes.computeIfAbsent(route, key -> new RouteBuckets());
    }

    /**
     * @param route the configured path of a route
     * @param type an RFC 9209 error type token, such as {@code connection_refused}
     * @return the latest failure of that route with that type, however old
     */
    public Optional<UpstreamFailure> latestFailure(String route, String type) {
        RouteBuckets buckets = routes.get(route);
        if (buckets == null) {
            return Optional.empty();
        }
        synchronized (buckets) {
            return Optional.ofNullable(buckets.latest.get(type));
        }
    }

    /**
     * @param route the configured path of a route
     * @return the route's latest failure of any type, however old
     */
    public Optional<UpstreamFailure> latestFailure(String route) {
        RouteBuckets buckets = routes.get(route);
        if (buckets == null) {
            return Optional.empty();
        }
        synchronized (buckets) {
            return buckets.latest.values().stream().max(Comparator.comparing(UpstreamFailure::time,
                    Comparator.nullsFirst(Comparator.naturalOrder())));
        }
    }

    /**
     * @param window how far back, up to {@link #LONGEST}, in whole 10-second buckets
     * @return each route's counts over that window, by route in path order
     */
    public Map<String, Window> last(Duration window) {
        long now = bucket();
        long span = Math.min(BUCKETS, Math.max(1, window.toMillis() / BUCKET_MILLIS));
        Map<String, Window> result = new TreeMap<>();
        routes.forEach((route, buckets) -> result.put(route, window(buckets, now, span)));
        return result;
    }

    private static Window window(RouteBuckets buckets, long now, long span) {
        synchronized (buckets) {
            long requests = 0;
            Map<String, Long> errors = new TreeMap<>();
            for (long bucket = now - span + 1; bucket <= now; bucket++) {
                int slot = (int) (bucket % BUCKETS);
                if (bucket < 0 || buckets.stamp.get(slot) != bucket) {
                    continue;
                }
                requests += buckets.requests.get(slot);
                for (Map.Entry<String, long[]> type : buckets.errors.entrySet()) {
                    if (type.getValue()[slot] > 0) {
                        errors.merge(type.getKey(), type.getValue()[slot], Long::sum);
                    }
                }
            }
            return new Window(requests, new LinkedHashMap<>(errors));
        }
    }

    private long bucket() {
        return clock.millis() / BUCKET_MILLIS;
    }
}
