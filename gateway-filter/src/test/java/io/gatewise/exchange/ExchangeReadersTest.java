package io.gatewise.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where each exchange record goes: every reader once, in order, with its own state for the route. */
class ExchangeReadersTest {
    /** Counts per route, in a state it makes once per route; remembers the order it was called in. */
    private static final class Counting implements ExchangeReader<AtomicInteger> {
        private final String name;
        private final List<String> calls;
        private final List<String> statesMade = new ArrayList<>();

        Counting(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public AtomicInteger routeState(String route) {
            statesMade.add(route);
            return new AtomicInteger();
        }

        @Override
        public void exchangeEnded(ExchangeRecord record, AtomicInteger routeState) {
            calls.add(name + " " + record.route().path());
            routeState.incrementAndGet();
        }
    }

    private static ExchangeRecord record(RouteHandle route, Optional<UpstreamFailure> failure) {
        return new ExchangeRecord(route, "GET", "/api/x", null, 200, 1_000, List.of(
                new AttemptRecord(1, "http://127.0.0.1:1", AttemptRecord.Outcome.SUCCEEDED, null, 500)), false,
                failure, true);
    }

    @Test
    void everyReaderReadsEachRecordOnceInOrderWithItsStateForTheRoute() {
        List<String> calls = new ArrayList<>();
        Counting first = new Counting("first", calls);
        Counting second = new Counting("second", calls);
        ExchangeReaders readers = ExchangeReaders.of(List.of(first, second));
        RouteHandle api = readers.handle("/api/");

        readers.ended(record(api, Optional.empty()));
        readers.ended(record(api, Optional.empty()));
        readers.ended(record(readers.unrouted(), Optional.empty()));

        assertThat(calls).containsExactly("first /api/", "second /api/", "first /api/", "second /api/", "first -",
                "second -");
        assertThat(first.statesMade).as("made when the handles were, never per record")
                .containsExactly(RouteHandle.UNROUTED, "/api/");
        assertThat(((AtomicInteger) api.state(0)).get()).isEqualTo(2);
        assertThat(((AtomicInteger) api.state(1)).get()).isEqualTo(2);
        assertThat(readers.unrouted().unrouted()).isTrue();
        assertThat(api.unrouted()).isFalse();
    }

    @Test
    void aReaderThatThrowsIsSkippedAndTheOthersStillRead() {
        List<String> calls = new ArrayList<>();
        ExchangeReader<Void> broken = (record, state) -> {
            throw new IllegalStateException("broken reader");
        };
        Counting after = new Counting("after", calls);
        ExchangeReaders readers = ExchangeReaders.of(List.of(broken, after));

        readers.ended(record(readers.handle("/api/"), Optional.empty()));

        assertThat(calls).containsExactly("after /api/");
    }

    @Test
    void aRecordKeepsItsAttemptsAndNamesItsLastUpstream() {
        ExchangeReaders readers = ExchangeReaders.of(List.of());
        List<AttemptRecord> attempts = new ArrayList<>(List.of(
                new AttemptRecord(1, "http://127.0.0.1:1", AttemptRecord.Outcome.FAILED, "connection_refused", 10),
                new AttemptRecord(2, "http://127.0.0.1:2", AttemptRecord.Outcome.SUCCEEDED, null, 20)));
        ExchangeRecord record = new ExchangeRecord(readers.handle("/api/"), "GET", "/api/x", null, 200, 30, attempts,
                false, Optional.empty(), true);
        attempts.clear();

        assertThat(record.attempts()).as("a copy, not the exchange's list").hasSize(2);
        assertThat(record.lastUpstream()).contains("http://127.0.0.1:2");
        assertThat(record.attempts().get(1).retry()).isTrue();
        assertThat(record.attempts().get(0).retry()).isFalse();
        assertThat(new ExchangeRecord(readers.unrouted(), "GET", "/", null, 404, 1, List.of(), false,
                Optional.empty(), true).lastUpstream()).isEmpty();
    }

    @Test
    void anApplicationsFailureIsARecordOfItsOwnWithTheFailuresStatus() {
        ExchangeReaders readers = ExchangeReaders.of(List.of());
        UpstreamFailure failure = UpstreamFailure.builder().type(ProxyErrorType.CONNECTION_REFUSED)
                .phase(Phase.CONNECT).incident(IncidentIds.next()).reason("test").build();

        ExchangeRecord record = ExchangeRecord.ofApplicationFailure(failure, readers.unrouted(), "POST", "/orders",
                "127.0.0.1");

        assertThat(record.proxied()).isFalse();
        assertThat(record.status()).isEqualTo(502);
        assertThat(record.failure()).contains(failure);
        assertThat(record.attempts()).isEmpty();
    }

    @Test
    void anAttemptRecordSaysHowItFailedOnlyWhenItFailed() {
        assertThatThrownBy(() -> new AttemptRecord(1, "http://127.0.0.1:1", AttemptRecord.Outcome.FAILED, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorType");
        assertThatThrownBy(() -> new AttemptRecord(1, "http://127.0.0.1:1", AttemptRecord.Outcome.SUCCEEDED,
                "connection_refused", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttemptRecord(0, "http://127.0.0.1:1", AttemptRecord.Outcome.ABANDONED, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number");
        assertThat(AttemptRecord.Outcome.ABANDONED.token()).isEqualTo("abandoned");
    }
}
