package io.gatewise.observe;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The latest failures, newest first, for the admin API and the status page: a ring of a fixed
 * size, so a flood of failures costs no more memory than a quiet day.
 */
public final class RecentFailures implements FailureListener {
    private final int capacity;
    private final Deque<FailureEvent> ring;

    /** @param capacity how many failures it keeps; the oldest goes when a new one comes */
    public RecentFailures(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " (expected: 1 or more)");
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public synchronized void onFailure(FailureEvent event) {
        if (ring.size() == capacity) {
            ring.removeLast();
        }
        ring.addFirst(event);
    }

    /**
     * @param limit how many at most
     * @return the latest failures, newest first
     */
    public synchronized List<FailureEvent> latest(int limit) {
        List<FailureEvent> latest = new ArrayList<>(Math.min(limit, ring.size()));
        Iterator<FailureEvent> newestFirst = ring.iterator();
        while (latest.size() < limit && newestFirst.hasNext()) {
            latest.add(newestFirst.next());
        }
        return latest;
    }

    /**
     * @param incident an incident id, as pages and logs show it
     * @return the failure with that incident, while the ring still holds it
     */
    public synchronized Optional<FailureEvent> find(String incident) {
        for (FailureEvent event : ring) {
            if (event.failure().incident().equals(incident)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    /** @return how many it keeps at most */
    public int capacity() {
        return capacity;
    }
}
