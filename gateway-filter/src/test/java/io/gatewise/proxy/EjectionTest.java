package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Passive health: upstreams that keep failing are taken out of rotation, on a clock the test moves. */
class EjectionTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final TestClock clock = new TestClock();

    private static List<Endpoint> endpoints(RunningGateway gateway) {
        return gateway.server().gateway().routes().routes().get(0).pool().endpoints();
    }

    @Test
    void failingUpstreamIsEjectedThenReturnsForLongerEjectionsEachTime() throws Exception {
        JettyUpstream alive = gateways.jettyUpstream(new NamedServlet("alive"));
        RunningGateway gateway = gateways.builder().clock(clock).route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:" + ClosedPort.find()).upstream(alive.url())
                .ejection(EjectionConfig.builder().consecutiveFailures(3).baseTime(Duration.ofSeconds(30)).build())
                .build()).start();
        Endpoint dead = endpoints(gateway).get(0);
        for (int i = 0; i < 10; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(200);
        }
        assertThat(dead.ejected()).isTrue();
        assertThat(dead.attempts()).as("picked until its third failure, then left alone").isEqualTo(3);

        clock.advance(Duration.ofSeconds(31));
        assertThat(dead.ejected()).as("back after its ejection time").isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(200);
        }
        assertThat(dead.attempts()).isEqualTo(6);
        assertThat(dead.ejections()).isEqualTo(2);
        assertThat(dead.ejectedUntilMillis() - clock.millis()).as("the second ejection lasts twice as long")
                .isEqualTo(60_000);
        assertThat(gateway.pendingEvents()).as("every failure was retried elsewhere").isEmpty();
    }

    @Test
    void noMoreThanTheConfiguredShareIsEjectedAtOnce() throws Exception {
        RunningGateway gateway = gateways.builder().clock(clock).route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:" + ClosedPort.find()).upstream("http://127.0.0.1:" + ClosedPort.find())
                .upstream("http://127.0.0.1:" + ClosedPort.find())
                .ejection(EjectionConfig.builder().consecutiveFailures(1).maxEjectedPercent(50).build()).build()).start();
        for (int i = 0; i < 5; i++) {
            gateway.get("/api/" + i);
        }
        assertThat(endpoints(gateway)).filteredOn(Endpoint::ejected).hasSize(1);
    }

    @Test
    void everyUpstreamEjectedIsDestinationUnavailable503WithRetryAfterUntilTheFirstReturns() throws Exception {
        RunningGateway gateway = gateways.builder().clock(clock).route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:" + ClosedPort.find()).upstream("http://127.0.0.1:" + ClosedPort.find())
                .retries(RetryConfig.builder().maxAttempts(2).build())
                .ejection(EjectionConfig.builder().consecutiveFailures(1).baseTime(Duration.ofSeconds(30))
                        .maxEjectedPercent(100).build()).build()).start();
        assertThat(gateway.get("/api/first").getStatus()).isEqualTo(502);
        gateway.onlyEvent();
        clock.advance(Duration.ofSeconds(10));

        ContentResponse response = gateway.get("/api/second");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("20");
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("error", "destination_unavailable");
        assertThat(gateway.failureAttributes(response)).containsEntry(FailureAttributes.CAUSE, "no_capacity")
                .containsEntry(FailureAttributes.ROUTE, "/api/");
        assertThat(gateway.onlyEvent().failure().reason())
                .isEqualTo("every upstream of the route is out (ejected, unhealthy or drained)");
    }
}
