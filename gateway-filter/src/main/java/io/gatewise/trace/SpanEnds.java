package io.gatewise.trace;

import io.gatewise.exchange.ExchangeReader;
import io.gatewise.exchange.ExchangeRecord;

/** Ends each exchange's spans as its record is read, with what the record says. */
public final class SpanEnds implements ExchangeReader<Void> {
    @Override
    public void exchangeEnded(ExchangeRecord record, Void routeState) {
        if (record.trace() instanceof RequestSpans spans) {
            spans.end(record);
        }
    }

    @Override
    public String toString() {
        return "span ends";
    }
}
