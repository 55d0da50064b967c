package io.gatewise.observe;

import io.gatewise.exchange.ExchangeReader;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link FailureListener}s (the failure log, the recent failures, an embedder's own) of
 * each exchange record with a failure, in order: the failure channel is a reading of the record,
 * not a second report. A listener that throws is logged; the others are still told.
 */
public final class FailureEvents implements ExchangeReader<Void> {
    private static final Logger LOG = LoggerFactory.getLogger(FailureEvents.class);

    private final List<FailureListener> listeners;

    /** @param listeners who is told, in order */
    public FailureEvents(List<FailureListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void exchangeEnded(ExchangeRecord record, Void routeState) {
        if (record.failure().isEmpty()) {
            return;
        }
        FailureEvent event = new FailureEvent(record.failure().get(), record.method(), record.path(),
                record.client());
        for (FailureListener listener : listeners) {
            try {
                listener.onFailure(event);
            } catch (RuntimeException e) {
                LOG.warn("Failure listener {} failed on incident {}", listener, event.failure().incident(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "FailureEvents" + listeners;
    }
}
