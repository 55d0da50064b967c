package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.HoldingServlet;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.gatewise.upstream.Endpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Planned downtime: a route in maintenance, an upstream drained. */
class MaintenanceAndDrainingTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void routeInMaintenanceAnswers503WithRetryAfterAndForwardsNothingUntilItEnds() throws Exception {
        NamedServlet servlet = new NamedServlet("up");
        JettyUpstream upstream = gateways.jettyUpstream(servlet);
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstream(upstream.url())
                .maintenance(true).build());
        ContentResponse response = gateway.get("/api/orders");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("5");
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("error", "destination_unavailable");
        assertThat(gateway.failureAttributes(response)).containsEntry(FailureAttributes.CAUSE, "maintenance");
        gateway.onlyEvent();
        assertThat(servlet.served()).as("nothing forwarded in maintenance").isZero();

        gateway.server().gateway().route("/api/").orElseThrow().maintenance(false);
        assertThat(gateway.get("/api/orders").getContentAsString()).isEqualTo("up");
    }

    @Test
    void maintenancePageSaysSoInTheVisitorsLanguage() throws Exception {
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:9").maintenance(true).build())
                .gatewayErrorPages(ErrorPagesConfig.defaults()).start();
        ContentResponse english = gateway.get("/api/x", h -> h.put("Accept", "text/html"));
        ContentResponse chinese = gateway.get("/api/x", h -> h.put("Accept", "text/html").put("Accept-Language", "zh"));

        assertThat(english.getContentAsString()).contains("Down for maintenance", "Try again in 5 seconds.");
        assertThat(chinese.getContentAsString()).contains("系统维护中");
    }

    @Test
    void drainedUpstreamGetsNoNewRequestsWhileItsInFlightOneCompletes() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream holding = gateways.jettyUpstream(new HoldingServlet(firstArrived, release));
        JettyUpstream other = gateways.jettyUpstream(new NamedServlet("other"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/")
                .upstream(holding.url()).upstream(other.url()).build());
        try {
            CompletableFuture<ContentResponse> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return gateway.get("/first");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            Endpoint drained = gateway.server().gateway().route("/").orElseThrow().pool().endpoints().get(0);
            drained.drain(true);

            Map<String, Integer> served = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                served.merge(gateway.get("/next/" + i).getContentAsString(), 1, Integer::sum);
            }
            release.countDown();

            assertThat(served).containsOnlyKeys("other");
            assertThat(inFlight.get(20, TimeUnit.SECONDS).getContentAsString()).isEqualTo("/first");
            // The in-flight count drops when the exchange completes, just after the client has the last byte.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(drained.inFlight()).isZero());
        } finally {
            release.countDown();
        }
    }
}
