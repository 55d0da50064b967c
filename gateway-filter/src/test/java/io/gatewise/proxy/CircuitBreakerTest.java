package io.gatewise.proxy;

import io.gatewise.route.Route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A circuit breaker per upstream: opens, fails fast, half-opens, closes; on a clock the test moves. */
class CircuitBreakerTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final TestClock clock = new TestClock();
    private final AtomicBoolean healthy = new AtomicBoolean(false);

    @Test
    void circuitOpensFailsFastHalfOpensAndCloses() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream((socket, head) -> {
            if (healthy.get()) {
                SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            }
        });
        RunningGateway gateway = gateways.builder().clock(clock).route(RouteConfig.builder().path("/")
                .upstream(upstream.url())
                .ejection(EjectionConfig.builder().consecutiveFailures(0).build())
                .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(4).windowSize(4).failureRateThreshold(50)
                        .openFor(Duration.ofSeconds(30)).halfOpenCalls(1).build())
                .build()).start();
        Endpoint endpoint = gateway.server().gateway().route("/").orElseThrow().pool().endpoints().get(0);
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/x").getStatus()).isEqualTo(502);
            gateway.onlyEvent();
        }
        awaitState(endpoint, "OPEN");

        ContentResponse fast = gateway.get("/x");
        assertThat(fast.getStatus()).isEqualTo(503);
        assertThat(fast.getHeaders().get("Retry-After")).isEqualTo("30");
        assertThat(fast.getHeaders().get("Proxy-Status")).contains("error=destination_unavailable");
        gateway.onlyEvent();
        assertThat(upstream.requestHeads()).as("an open circuit sends nothing").hasSize(4);

        clock.advance(Duration.ofSeconds(31));
        assertThat(gateway.get("/x").getStatus()).as("the trial fails: open again").isEqualTo(502);
        gateway.onlyEvent();
        awaitState(endpoint, "OPEN");

        clock.advance(Duration.ofSeconds(31));
        healthy.set(true);
        assertThat(gateway.get("/x").getContentAsString()).as("the trial passes").isEqualTo("ok");
        // A success is counted when the exchange completes, just after the client has the last byte.
        awaitState(endpoint, "CLOSED");
        assertThat(gateway.get("/x").getContentAsString()).isEqualTo("ok");
    }

    private static void awaitState(Endpoint endpoint, String state) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(endpoint.circuitState()).contains(state));
    }

    /** On the route's own objects, no traffic: the permit is the point, and it cannot be seen from outside. */
    @Test
    void aRetryTheBudgetRefusesGivesTheHalfOpenTrialBack() {
        Route route = new Route(RouteConfig.builder().path("/")
                .upstreams(List.of(UpstreamConfig.builder().url("http://127.0.0.1:1").build(),
                        UpstreamConfig.builder().url("http://127.0.0.1:2").build()))
                .ejection(EjectionConfig.builder().consecutiveFailures(0).build())
                .retries(RetryConfig.builder().budgetPercent(0).minRetriesPerSecond(0).build())
                .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(2).windowSize(2).failureRateThreshold(50)
                        .openFor(Duration.ofSeconds(30)).halfOpenCalls(1).build())
                .build(), new java.util.Random(1), clock);
        Endpoint first = route.pool().endpoints().get(0);
        Endpoint second = route.pool().endpoints().get(1);
        for (int i = 0; i < 2; i++) {
            Lease lease = route.pool().lease(Set.of(first));
            assertThat(lease.endpoint()).isSameAs(second);
            lease.sent();
            lease.failed("connection_refused");
        }
        assertThat(second.circuitState()).contains("OPEN");
        clock.advance(Duration.ofSeconds(31));

        Exchange exchange = new Exchange(null, route, "/x", null, null);
        exchange.begin(route.pool().lease(Set.of(second)));
        assertThat(exchange.lease().endpoint()).isSameAs(first);
        assertThat(exchange.nextAttempt()).as("the budget allows no retry").isNull();

        assertThat(route.pool().lease(Set.of(first)).endpoint()).as("the single half-open trial is still there")
                .isSameAs(second);
    }
}
