package io.gatewise.proxy;

import java.time.Clock;

/**
 * Caps a route's retries at a fraction of its requests, so that retries cannot multiply an
 * outage: when every upstream fails, the route sends at most {@code 1 + percent/100} times the
 * client traffic, not {@code maxAttempts} times.
 *
 * <p>Requests and retries are counted over the last {@value #WINDOW_SECONDS} seconds of the
 * gateway clock, in one-second buckets. A retry is allowed while the retries in the window stay
 * within {@code percent} of the requests plus a floor of {@code minPerSecond} per second, so a
 * route with little traffic can still retry.
 */
final class RetryBudget {
    static final int WINDOW_SECONDS = 10;

    private final int percent;
    private final int minPerSecond;
    private final Clock clock;
    private final long[] requests = new long[WINDOW_SECONDS];
    private final long[] retries = new long[WINDOW_SECONDS];
    private final long[] bucketSecond = new long[WINDOW_SECONDS];
    private long refused;

    /**
     * @param percent retries allowed per 100 requests; 0 with a floor of 0 turns retries off
     * @param minPerSecond retries always allowed per second of the window
     * @param clock the gateway clock
     */
    RetryBudget(int percent, int minPerSecond, Clock clock) {
        this.percent = percent;
        this.minPerSecond = minPerSecond;
        this.clock = clock;
    }

    /** Counts a request's first attempt. */
    synchronized void onRequest() {
        requests[bucket()]++;
    }

    /**
     * Takes one retry from the budget if there is one left.
     *
     * @return whether the retry may be sent
     */
    synchronized boolean tryRetry() {
        int current = bucket();
        long oldest = bucketSecond[current] - WINDOW_SECONDS;
        long requestSum = 0;
        long retrySum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (bucketSecond[i] > oldest) {
                requestSum += requests[i];
                retrySum += retries[i];
            }
        }
        long allowed = requestSum * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
        if (retrySum >= allowed) {
            refused++;
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
        if (bucketSecond[index] != second) {
            bucketSecond[index] = second;
            requests[index] = 0;
            retries[index] = 0;
        }
        return index;
    }
}
