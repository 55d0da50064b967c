package io.gatewise.proxy;

import io.gatewise.client.ClientSettings;
import io.gatewise.failure.GatewayStoppingException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's proxied exchanges from the moment an attempt is about to go upstream to the end
 * of the exchange: what a stopping gateway waits for, and ends at its shutdown deadline.
 *
 * <p>Adding and removing are lock-free; only a waiting drain is woken, when the last one ends.
 * Once the exchanges have been ended, an exchange added later (a request that got in at the last
 * moment) is ended at once, until the gateway starts again.
 */
public final class ExchangesInFlight {
    private final Set<Exchange> exchanges = ConcurrentHashMap.newKeySet();
    private final Object emptied = new Object();
    private volatile int waiting;
    private volatile GatewayStoppingException ended;

    /** Creates an empty set, open to exchanges. */
    public ExchangesInFlight() {
    }

    /** @param exchange an exchange whose attempt is about to go upstream; adding it again does nothing */
    void add(Exchange exchange) {
        exchanges.add(exchange);
        GatewayStoppingException reason = ended;
        if (reason != null) {
            exchange.endAtShutdown(reason);
        }
    }

    /** @param exchange an exchange that has ended, however it ended */
    void remove(Exchange exchange) {
        if (exchanges.remove(exchange) && waiting > 0 && exchanges.isEmpty()) {
            synchronized (emptied) {
                emptied.notifyAll();
            }
        }
    }

    /**
     * @param settings a client's settings
     * @return whether an exchange in flight goes through the client of those settings
     */
    public boolean anyThrough(ClientSettings settings) {
        for (Exchange exchange : exchanges) {
            if (exchange.route().clientSettings().equals(settings)) {
                return true;
            }
        }
        return false;
    }

    /** @return how many are in flight now */
    public int size() {
        return exchanges.size();
    }

    /**
     * @param deadlineNanos until when to wait, on the {@link System#nanoTime()} scale
     * @return whether none was in flight any more before the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitNone(long deadlineNanos) throws InterruptedException {
        synchronized (emptied) {
            waiting++;
            try {
                while (!exchanges.isEmpty()) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(emptied, left);
                }
                return true;
            } finally {
                waiting--;
            }
        }
    }

    /**
     * Ends every exchange in flight, and any added from now on, by aborting its current attempt:
     * each then ends through the proxy's failure path, which answers and records it.
     *
     * @return how many were in flight
     */
    public int endAll() {
        GatewayStoppingException reason = new GatewayStoppingException();
        ended = reason;
        int count = 0;
        for (Exchange exchange : exchanges) {
            exchange.endAtShutdown(reason);
            count++;
        }
        return count;
    }

    /** @return whether {@link #endAll} has run since the gateway last started: the deadline is past */
    public boolean ended() {
        return ended != null;
    }

    /** Lets exchanges run again, when the gateway starts again after a stop. */
    public void reopen() {
        ended = null;
    }
}
