package io.gatewise.upstream;

import io.gatewise.config.UpstreamConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One upstream of a pool at run time: its configuration and what it is doing. */
public final class Endpoint {
    private final UpstreamConfig config;
    private final String nextHop;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    Endpoint(UpstreamConfig config) {
        this.config = config;
        this.nextHop = config.host() + ":" + config.port();
    }

    /** @return its configuration */
    public UpstreamConfig config() {
        return config;
    }

    /** @return {@code host:port}, as {@code Proxy-Status} names the next hop */
    public String nextHop() {
        return nextHop;
    }

    /** @return its weight */
    public int weight() {
        return config.weight();
    }

    /** @return whether it is a backup */
    public boolean backup() {
        return config.backup();
    }

    /** @return requests sent to it and not finished yet */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return attempts sent to it so far */
    public long attempts() {
        return attempts.get();
    }

    /** @return attempts that failed so far */
    public long failures() {
        return failures.get();
    }

    /** Counts an attempt that starts now. */
    public void started() {
        attempts.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /**
     * Counts the end of an attempt.
     *
     * @param failed whether it failed
     */
    public void finished(boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            failures.incrementAndGet();
        }
    }

    @Override
    public String toString() {
        return nextHop + (backup() ? " (backup)" : "") + " weight " + weight();
    }
}
