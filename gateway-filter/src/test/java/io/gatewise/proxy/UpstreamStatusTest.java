package io.gatewise.proxy;

import io.gatewise.route.Route;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.Lease;
import io.gatewise.upstream.UpstreamState;
import io.gatewise.upstream.UpstreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where each upstream stands and why, as the metrics, the admin API and the status page read it.
 * On a route's own objects with a test clock: the states follow from attempts and time, not traffic.
 */
class UpstreamStatusTest {
    private final TestClock clock = new TestClock();

    private Route route(RouteConfig.Builder builder) {
        return new Route(builder.path("/api/").upstreams(List.of(UpstreamConfig.builder().url("http://127.0.0.1:1").build(),
                UpstreamConfig.builder().url("http://127.0.0.1:2").build())).build(), new Random(1), clock);
    }

    private static void fail(Route route, Endpoint endpoint, String type, int times) {
        for (int i = 0; i < times; i++) {
            Lease lease = route.pool().lease(Set.of(route.pool().endpoints().stream()
                    .filter(other -> other != endpoint).findFirst().orElseThrow()));
            assertThat(lease.endpoint()).isSameAs(endpoint);
            lease.sent();
            lease.failed(type);
        }
    }

    @Test
    void anUpstreamEjectedAfterFailuresSaysWhichFailureAndUntilWhen() {
        Route route = route(RouteConfig.builder().ejection(EjectionConfig.builder().consecutiveFailures(2)
                .baseTime(Duration.ofSeconds(30)).maxEjectedPercent(50).build()));
        Endpoint first = route.pool().endpoints().get(0);
        Instant before = clock.instant();
        clock.advance(Duration.ofSeconds(5));

        fail(route, first, "connection_refused", 2);

        UpstreamStatus status = route.upstreamStatuses().get(0);
        assertThat(status.url()).isEqualTo("http://127.0.0.1:1");
        assertThat(status.state()).isEqualTo(UpstreamState.EJECTED);
        assertThat(status.reason()).isEqualTo("connection_refused");
        assertThat(status.since()).isEqualTo(before.plusSeconds(5));
        assertThat(status.until()).contains(before.plusSeconds(35));
        assertThat(status.inFlight()).isZero();
        assertThat(route.upstreamStatuses().get(1).state()).isEqualTo(UpstreamState.HEALTHY);

        clock.advance(Duration.ofSeconds(31));
        UpstreamStatus back = route.upstreamStatuses().get(0);
        assertThat(back.state()).as("the ejection ran out").isEqualTo(UpstreamState.HEALTHY);
        assertThat(back.reason()).isEqualTo("ok");
        assertThat(back.since()).isEqualTo(before.plusSeconds(35));
    }

    @Test
    void anOpenCircuitSaysTheLastFailureAndWhenTrialsResume() {
        Route route = route(RouteConfig.builder().ejection(EjectionConfig.builder().consecutiveFailures(0).build())
                .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(2).windowSize(2).failureRateThreshold(50)
                        .openFor(Duration.ofSeconds(30)).halfOpenCalls(1).build()));
        Endpoint second = route.pool().endpoints().get(1);

        fail(route, second, "connection_timeout", 2);

        UpstreamStatus status = route.upstreamStatuses().get(1);
        assertThat(status.state()).isEqualTo(UpstreamState.CIRCUIT_OPEN);
        assertThat(status.reason()).isEqualTo("connection_timeout");
        assertThat(status.circuit()).contains("open");
        assertThat(status.until()).contains(status.since().plusSeconds(30));
        assertThat(status.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void drainingAndMaintenanceAreTheOperatorsDoingAndMaintenanceWins() {
        Route route = route(RouteConfig.builder());
        clock.advance(Duration.ofSeconds(1));
        route.pool().endpoints().get(0).drain(true);

        assertThat(route.upstreamStatuses()).extracting(UpstreamStatus::state)
                .containsExactly(UpstreamState.DRAINING, UpstreamState.HEALTHY);
        assertThat(route.upstreamStatuses().get(0).reason()).isEqualTo("operator");
        assertThat(route.upstreamStatuses().get(0).since()).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(1));
        route.maintenance(true);
        assertThat(route.upstreamStatuses()).extracting(UpstreamStatus::state)
                .containsExactly(UpstreamState.MAINTENANCE, UpstreamState.MAINTENANCE);
        assertThat(route.upstreamStatuses().get(1).since()).isEqualTo(clock.instant());

        route.maintenance(false);
        route.pool().endpoints().get(0).drain(false);
        assertThat(route.upstreamStatuses()).extracting(UpstreamStatus::state)
                .containsExactly(UpstreamState.HEALTHY, UpstreamState.HEALTHY);
    }

    @Test
    void statesHaveTheTokensTheMetricsAndApiUse() {
        assertThat(List.of(UpstreamState.values())).extracting(UpstreamState::token).containsExactly(
                "maintenance", "draining", "circuit_open", "unhealthy", "ejected", "healthy");
    }
}
