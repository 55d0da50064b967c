package io.gatewise.route;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps a route's retries at a fraction of its requests, so that retries cannot multiply an
 * outage: when every upstream fails, the route sends at most {@code 1 + percent/100} times the
 * client traffic, not {@code maxAttempts} times.
 *
 * <p>Requests and retries are counted over the last {@value #WINDOW_SECONDS} seconds of the
 * gateway clock, in one-second buckets. A retry is allowed while the retries in the window stay
 * within {@code percent} of the requests plus a floor of {@code minPerSecond} per second, so a
 * route with little traffic can still retry. Counting a request takes no lock (it is on every
 * request's path); only starting a new second's bucket and deciding a retry do.
 */
public final class RetryBudget {
    static final int WINDOW_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);

    private final String route;
    private final int percent;
    private final int minPerSecond;
    private final Clock clock;
    private final AtomicLongArray requests = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray bucketSecond = new AtomicLongArray(WINDOW_SECONDS);
    private final long[] retries = new long[WINDOW_SECONDS];
    private long refused;

    /**
     * @param route the route's path, for the log
     * @param percent retries allowed per 100 requests; 0 with a floor of 0 turns retries off
     * @param minPerSecond retries always allowed per second of the window
     * @param clock the gateway clock
     */
    RetryBudget(String route, int percent, int minPerSecond, Clock clock) {
        this.route = route;
        this.percent = percent;
        this.minPerSecond = minPerSecond;
        this.clock = clock;
    }

    /** Counts a request's first attempt. */
    public void onRequest() {
        requests.incrementAndGet(bucket());
    }

    /**
     * Takes one retry from the budget if there is one left. A refusal is counted, and logged at
     * the 1st, 2nd, 4th, 8th, ... one: visible, without a line per request in an outage.
     *
     * @return whether the retry may be sent
     */
    public synchronized boolean tryRetry() {
        int current = bucket();
        long oldest = bucketSecond.get(current) - WINDOW_SECONDS;
        long requestSum = 0;
        long retrySum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (bucketSecond.get(i) > oldest) {
                requestSum += requests.get(i);
                retrySum += retries[i];
            }
        }
        long allowed = requestSum * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
        if (retrySum >= allowed) {
            refused++;
            if (Long.bitCount(refused) == 1) {
                LOG.warn("Route {}: retry budget spent, {} retries refused so far; failures reach clients unretried",
                        route, refused);
            }
            return false;
        }
        retries[current]++;
        return true;
    }

    /** @return how many retries the budget has refused so far */
    synchronized long refused() {
        return refused;
    }

    /** @return the bucket of the current second, cleared when it was last used a window ago */
    private int bucket() {
        long second = Math.floorDiv(clock.millis(), 1000);
        int index = (int) Math.floorMod(second, WINDOW_SECONDS);
        if (bucketSecond.get(index) != second) {
            synchronized (this) {
                if (bucketSecond.get(index) != second) {
                    requests.set(index, 0);
                    retries[index] = 0;
                    bucketSecond.set(index, second);
                }
            }
        }
        return index;
    }
}
