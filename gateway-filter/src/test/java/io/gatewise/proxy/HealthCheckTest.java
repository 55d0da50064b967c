package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RawH2Upstream;
import io.gatewise.testing.RunningGateway;
import io.gatewise.upstream.Endpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Active health checks flip an upstream's state both ways. Probes are run by the test
 * ({@code checkHealthNow}); the schedule is an hour, so it never interferes.
 */
class HealthCheckTest {
    /** Answers /health with 200 or 503 as the test says, anything else with its name. */
    static final class HealthServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final transient AtomicBoolean healthy;

        HealthServlet(String name, AtomicBoolean healthy) {
            this.name = name;
            this.healthy = healthy;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getRequestURI().equals("/health")) {
                response.setStatus(healthy.get() ? 200 : 503);
                return;
            }
            response.getWriter().print(name);
        }
    }

    private static final HealthCheckConfig CHECK = HealthCheckConfig.builder().path("/health").interval(Duration.ofHours(1))
            .healthyThreshold(2).unhealthyThreshold(3).build();

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static void probe(RunningGateway gateway, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            gateway.server().gateway().checkHealthNow().get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Integer> spread(RunningGateway gateway) throws Exception {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            served.merge(gateway.get("/app/" + i).getContentAsString(), 1, Integer::sum);
        }
        return served;
    }

    @Test
    void failingChecksTakeAnUpstreamOutAndPassingChecksBringItBack() throws Exception {
        AtomicBoolean aHealthy = new AtomicBoolean(true);
        JettyUpstream a = gateways.jettyUpstream(new HealthServlet("a", aHealthy));
        JettyUpstream b = gateways.jettyUpstream(new HealthServlet("b", new AtomicBoolean(true)));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(a.url())
                .upstream(b.url()).healthCheck(CHECK).build());
        Endpoint endpointA = gateway.server().gateway().route("/").orElseThrow().pool().endpoints().get(0);

        aHealthy.set(false);
        probe(gateway, 2);
        assertThat(endpointA.healthy()).as("two failed probes are not yet three").isTrue();
        probe(gateway, 1);
        assertThat(endpointA.healthy()).isFalse();
        assertThat(endpointA.healthReason()).isEqualTo("status 503");
        assertThat(spread(gateway)).containsOnlyKeys("b");

        aHealthy.set(true);
        probe(gateway, 1);
        assertThat(endpointA.healthy()).as("one passed probe is not yet two").isFalse();
        probe(gateway, 1);
        assertThat(endpointA.healthy()).isTrue();
        assertThat(spread(gateway)).containsOnlyKeys("a", "b");
    }

    @Test
    void probeFailuresAreClassifiedLikeRequests() throws Exception {
        JettyUpstream b = gateways.jettyUpstream(new HealthServlet("b", new AtomicBoolean(true)));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/")
                .upstream("http://127.0.0.1:" + ClosedPort.find()).upstream(b.url()).healthCheck(CHECK).build());
        probe(gateway, 3);

        Endpoint dead = gateway.server().gateway().route("/").orElseThrow().pool().endpoints().get(0);
        assertThat(dead.healthy()).isFalse();
        assertThat(dead.healthReason()).isEqualTo("connection_refused");
        assertThat(spread(gateway)).containsOnlyKeys("b");
        assertThat(dead.attempts()).as("no client request was sent to it").isZero();
    }

    @Test
    void probesSpeakTheRoutesProtocol() throws Exception {
        // An upstream that speaks only h2c: a probe in HTTP/1.1 would read to it as a broken preface.
        RawH2Upstream h2cOnly = RawH2Upstream.start((frames, stream, n) -> {
            frames.answer(stream, "ok");
            return false;
        });
        try (h2cOnly) {
            RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").protocol("h2")
                    .upstream(h2cOnly.url()).healthCheck(CHECK).build());
            probe(gateway, 3);

            Endpoint endpoint = gateway.server().gateway().route("/").orElseThrow().pool().endpoints().get(0);
            assertThat(h2cOnly.requests()).as("three probes, each an h2c request").isEqualTo(3);
            assertThat(endpoint.healthy()).isTrue();
            assertThat(endpoint.healthReason()).isEqualTo("status 200");
        }
    }
}
