package io.gatewise.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.exchange.ExchangeRecord;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests and error answers per route over the last minutes, on a clock the test moves. */
class TrafficWindowsTest {
    private final TestClock clock = new TestClock();
    private final TrafficWindows traffic = new TrafficWindows(clock);
    private final ExchangeReaders readers = ExchangeReaders.of(List.of(traffic));

    /** @param route a route's path; null for a request no route matched */
    private void answered(String route) {
        readers.ended(record(route, 200, Optional.empty()));
    }

    private void failed(String route, ProxyErrorType type) {
        UpstreamFailure failure = failure(route, type);
        readers.ended(record(route, failure.status(), Optional.of(failure)));
    }

    private UpstreamFailure failure(String route, ProxyErrorType type) {
        return UpstreamFailure.builder().type(type).phase(Phase.CONNECT).route(route).incident(IncidentIds.next())
                .reason("test").time(clock.instant()).build();
    }

    private ExchangeRecord record(String route, int status, Optional<UpstreamFailure> failure) {
        return new ExchangeRecord(route == null ? readers.unrouted() : readers.handle(route), "GET", "/x",
                "127.0.0.1", status, 1_000_000, List.of(), false, failure, true);
    }

    @Test
    void countsRequestsAndErrorsPerRouteWithinTheWindow() {
        answered("/api/");
        answered("/api/");
        failed("/api/", ProxyErrorType.CONNECTION_REFUSED);
        answered(null);

        TrafficWindows.Window api = traffic.last(Duration.ofMinutes(1)).get("/api/");
        assertThat(api.requests()).isEqualTo(3);
        assertThat(api.errors()).containsExactly(Map.entry("connection_refused", 1L));
        assertThat(api.errorRatio()).isEqualTo(1.0 / 3);
        assertThat(traffic.last(Duration.ofMinutes(1)).get("-").requests()).as("unrouted").isEqualTo(1);

        clock.advance(Duration.ofSeconds(70));
        assertThat(traffic.last(Duration.ofMinutes(1)).get("/api/").requests()).as("out of the 1-minute window")
                .isZero();
        assertThat(traffic.last(Duration.ofMinutes(5)).get("/api/").requests()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(5));
        assertThat(traffic.last(Duration.ofMinutes(5)).get("/api/").errors()).as("past the longest window").isEmpty();
        assertThat(traffic.latestFailure("/api/", "connection_refused")).as("the latest failure, however old")
                .isPresent();
    }

    @Test
    void requestsCountedAtOnceFromManyThreadsAcrossBucketsAreAllCounted() throws Exception {
        int threads = 8;
        int each = 20_000;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads + 1);
        List<Thread> counting = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < each; i++) {
                    answered("/api/");
                    if (i % 1000 == 0) {
                        failed("/api/", ProxyErrorType.CONNECTION_REFUSED);
                    }
                }
            });
            thread.start();
            counting.add(thread);
        }
        start.await();
        // The clock moves on while they count: slots move to new buckets under the threads' feet.
        for (int step = 0; step < 5; step++) {
            clock.advance(Duration.ofSeconds(10));
            Thread.sleep(1);
        }
        for (Thread thread : counting) {
            thread.join();
        }

        TrafficWindows.Window window = traffic.last(TrafficWindows.LONGEST).get("/api/");
        int failures = threads * (each / 1000);
        assertThat(window.requests()).isEqualTo((long) threads * each + failures);
        assertThat(window.errors()).containsExactly(Map.entry("connection_refused", (long) failures));
    }

    @Test
    void aReloadThatRemovesRoutesForgetsThem() {
        for (int reload = 0; reload < 100; reload++) {
            String route = "/generation-" + reload + "/";
            failed(route, ProxyErrorType.CONNECTION_TIMEOUT);
            traffic.retainRoutes(Set.of(route, "/kept/"));
        }
        failed("/kept/", ProxyErrorType.DNS_TIMEOUT);
        answered(null);

        traffic.retainRoutes(Set.of("/kept/"));

        assertThat(traffic.last(TrafficWindows.LONGEST).keySet()).as("the kept route and the unrouted count only")
                .containsExactly("-", "/kept/");
        assertThat(traffic.latestFailure("/generation-99/")).isEmpty();
        assertThat(traffic.latestFailure("/kept/")).isPresent();
    }

    @Test
    void anApplicationsOwnFailureCountsAsAnErrorUnderNoRouteButNotAsAProxiedRequest() {
        UpstreamFailure failure = failure(null, ProxyErrorType.CONNECTION_REFUSED);
        readers.ended(ExchangeRecord.ofApplicationFailure(failure, readers.unrouted(), "GET", "/orders", "127.0.0.1"));

        TrafficWindows.Window unrouted = traffic.last(Duration.ofMinutes(1)).get("-");
        assertThat(unrouted.requests()).as("the proxy served no request").isZero();
        assertThat(unrouted.errors()).containsExactly(Map.entry("connection_refused", 1L));
    }
}
