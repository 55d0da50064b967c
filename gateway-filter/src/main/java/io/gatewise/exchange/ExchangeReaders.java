package io.gatewise.exchange;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readers of a gateway's exchange records, in order: where each record goes once, and where
 * each route's {@link RouteHandle} is made. A reader that throws is logged and skipped; the others
 * still read the record.
 */
public final class ExchangeReaders {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeReaders.class);
    /** No reader: the handles of routes built outside a gateway (tools, tests). */
    public static final ExchangeReaders NONE = new ExchangeReaders(List.of());

    /** The record being read on this thread: a trace's, for exemplars; null when none is, or it has no trace. */
    private static final ThreadLocal<ExchangeRecord> READING = new ThreadLocal<>();

    private final List<ExchangeReader<?>> readers;
    private final RouteHandle unrouted;

    private ExchangeReaders(List<ExchangeReader<?>> readers) {
        this.readers = List.copyOf(readers);
        this.unrouted = handle(RouteHandle.UNROUTED);
    }

    /**
     * @param readers who reads each record, in order
     * @return the readers
     */
    public static ExchangeReaders of(List<? extends ExchangeReader<?>> readers) {
        return new ExchangeReaders(List.copyOf(readers));
    }

    /**
     * @param route a route's configured path
     * @return its handle, with each reader's state for it
     */
    public RouteHandle handle(String route) {
        Object[] states = new Object[readers.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = readers.get(i).routeState(route);
        }
        return new RouteHandle(route, states);
    }

    /** @return the handle of requests no route matched */
    public RouteHandle unrouted() {
        return unrouted;
    }

    /**
     * Gives the record to every reader, in order.
     *
     * @param record an exchange that ended; its route's handle must be one of these readers'
     */
    public void ended(ExchangeRecord record) {
        if (record.trace() == ExchangeTrace.NONE) {
            read(record);
            return;
        }
        READING.set(record);
        try {
            read(record);
        } finally {
            READING.remove();
        }
    }

    /**
     * @return the trace of the record the readers are reading on this thread, so a meter can
     *     attach it to what it records (an exemplar); {@link ExchangeTrace#NONE} outside a reading
     */
    public static ExchangeTrace readingTrace() {
        ExchangeRecord record = READING.get();
        return record == null ? ExchangeTrace.NONE : record.trace();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void read(ExchangeRecord record) {
        RouteHandle route = record.route();
        for (int i = 0; i < readers.size(); i++) {
            ExchangeReader reader = readers.get(i);
            try {
                reader.exchangeEnded(record, route.state(i));
            } catch (RuntimeException e) {
                LOG.warn("Exchange reader {} failed on {} {}", reader, record.method(), record.path(), e);
            }
        }
    }
}
