package io.gatewise.websocket;

import io.gatewise.client.ClientSettings;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket sessions the gateway carries now: what {@code gatewise_websocket_sessions}
 * counts, what a draining gateway tells to go away ({@code 1001} to both sides) and waits for,
 * and where sessions that waited too long are found, every second: no frame either way for the
 * route's {@code websocket.idleTimeout}, or a frame that waited that long to be written.
 */
public final class WebSocketSessions {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessions.class);

    private final Set<SessionBridge> open = ConcurrentHashMap.newKeySet();
    private final Object emptied = new Object();
    private volatile boolean draining;
    private ScheduledExecutorService idleCheck;
    /** Runs the closes the idle check decides on; a thread per close at once, none kept when there is none. */
    private final ExecutorService closer = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "gatewise-websocket-close");
                thread.setDaemon(true);
                return thread;
            });

    /** Creates an empty set; {@link #start} begins the idle check. */
    public WebSocketSessions() {
    }

    /** Starts the idle check, and lets sessions in again after a drain. */
    public synchronized void start() {
        draining = false;
        if (idleCheck == null) {
            idleCheck = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "gatewise-websocket-idle");
                thread.setDaemon(true);
                return thread;
            });
            idleCheck.scheduleWithFixedDelay(this::closeWaitedTooLong, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Stops the idle check. */
    public synchronized void stop() {
        if (idleCheck != null) {
            idleCheck.shutdownNow();
            idleCheck = null;
        }
    }

    void add(SessionBridge session) {
        open.add(session);
        if (draining) {
            session.goAway();
        }
    }

    void remove(SessionBridge session) {
        if (open.remove(session) && open.isEmpty()) {
            synchronized (emptied) {
                emptied.notifyAll();
            }
        }
    }

    /**
     * @param settings an upstream client's settings
     * @return whether an open session's upstream leg goes through the client of those settings,
     *     which a reload must not close under it
     */
    public boolean anyThrough(ClientSettings settings) {
        for (SessionBridge session : open) {
            if (session.upstreamClient().equals(settings)) {
                return true;
            }
        }
        return false;
    }

    /** @return how many sessions are open now */
    public int size() {
        return open.size();
    }

    /**
     * @param route a route's configured path
     * @return how many of its sessions are open now
     */
    public int count(String route) {
        int count = 0;
        for (SessionBridge session : open) {
            if (session.route().equals(route)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Tells every open session, and any that opens from now on until {@link #start}, to go away:
     * {@code 1001} to both sides, so clients reconnect to another replica.
     *
     * @return how many were open
     */
    public int goAway() {
        draining = true;
        int count = 0;
        for (SessionBridge session : open) {
            session.goAway();
            count++;
        }
        return count;
    }

    /**
     * @param deadlineNanos until when to wait, on the {@link System#nanoTime()} scale
     * @return whether every session had closed before the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitNone(long deadlineNanos) throws InterruptedException {
        synchronized (emptied) {
            while (!open.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(emptied, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        }
    }

    /**
     * Drops every session still open, for a drain past its deadline.
     *
     * @return how many were dropped
     */
    public int abortAll() {
        int count = 0;
        for (SessionBridge session : open) {
            session.abort();
            count++;
        }
        return count;
    }

    private void closeWaitedTooLong() {
        long now = System.nanoTime();
        for (SessionBridge session : open) {
            Runnable close = session.waitedTooLong(now);
            if (close != null) {
                // A close may wait on a connection: the check goes on meanwhile.
                closer.execute(() -> {
                    try {
                        close.run();
                    } catch (RuntimeException e) {
                        LOG.warn("Cannot close a WebSocket session of {} that waited too long", session.route(), e);
                    }
                });
            }
        }
    }
}
