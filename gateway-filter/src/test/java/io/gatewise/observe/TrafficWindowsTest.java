package io.gatewise.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.testing.TestClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests and error answers per route over the last minutes, on a clock the test moves. */
class TrafficWindowsTest {
    private final TestClock clock = new TestClock();
    private final TrafficWindows traffic = new TrafficWindows(clock);

    private void failed(String route, ProxyErrorType type) {
        traffic.requestAnswered(route);
        traffic.onFailure(new FailureEvent(UpstreamFailure.builder().type(type).phase(Phase.CONNECT).route(route)
                .incident(IncidentIds.next()).reason("test").time(clock.instant()).build(), "GET", "/x", "127.0.0.1"));
    }

    @Test
    void countsRequestsAndErrorsPerRouteWithinTheWindow() {
        traffic.requestAnswered("/api/");
        traffic.requestAnswered("/api/");
        failed("/api/", ProxyErrorType.CONNECTION_REFUSED);
        traffic.requestAnswered(null);

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
    void aReloadThatRemovesRoutesForgetsThem() {
        for (int reload = 0; reload < 100; reload++) {
            String route = "/generation-" + reload + "/";
            failed(route, ProxyErrorType.CONNECTION_TIMEOUT);
            traffic.retainRoutes(Set.of(route, "/kept/"));
        }
        failed("/kept/", ProxyErrorType.DNS_TIMEOUT);
        traffic.requestAnswered(null);

        traffic.retainRoutes(Set.of("/kept/"));

        assertThat(traffic.last(TrafficWindows.LONGEST).keySet()).as("the kept route and the unrouted count only")
                .containsExactly("-", "/kept/");
        assertThat(traffic.latestFailure("/generation-99/")).isEmpty();
        assertThat(traffic.latestFailure("/kept/")).isPresent();
    }
}
