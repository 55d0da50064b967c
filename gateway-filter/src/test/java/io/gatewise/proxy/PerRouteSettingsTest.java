package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.DataSizes;
import io.gatewise.config.LimitsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.HoldingServlet;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timeouts and limits are the route's own: two routes to the same kind of upstream behave apart. */
class PerRouteSettingsTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static ContentResponse get(RunningGateway gateway, String path) throws Exception {
        return gateway.request(path).timeout(20, TimeUnit.SECONDS).send();
    }

    @Test
    void responseHeaderLimitIsPerRoute() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.oversizedHeaders(20 * 1024));
        RunningGateway gateway = gateways.builder().gatewayErrorPages()
                .route(route("/strict/", upstream.url()).limits(LimitsConfig.builder()
                        .maxResponseHeaderSize(DataSizes.parse("16KB")).build()).build())
                .route(route("/lenient/", upstream.url()).limits(LimitsConfig.builder()
                        .maxResponseHeaderSize(DataSizes.parse("64KB")).build()).build())
                .start();

        assertThat(get(gateway, "/lenient/x").getStatus()).isEqualTo(200);
        assertThat(get(gateway, "/strict/x").getStatus()).isEqualTo(502);
    }

    @Test
    void responseTimeoutIsPerRoute() throws Exception {
        SocketUpstream silent = gateways.socketUpstream(Faults.noResponse());
        // Answers after twice the impatient route's timeout: only the patient route waits for it.
        SocketUpstream answering = gateways.socketUpstream((socket, head) -> {
            Thread.sleep(2000);
            Faults.status(200, "late but fine").serve(socket, head);
        });
        RunningGateway gateway = gateways.builder().gatewayErrorPages()
                .route(route("/impatient/", silent.url()).timeouts(TimeoutsConfig.builder()
                        .response(Duration.ofSeconds(1)).build()).build())
                .route(route("/patient/", answering.url()).build())
                .start();

        assertThat(get(gateway, "/impatient/x").getStatus()).isEqualTo(504);
        assertThat(get(gateway, "/patient/x").getContentAsString()).isEqualTo("late but fine");
    }

    @Test
    void maxConnectionsQueuesRequestsBeyondTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(firstArrived, release));
        RunningGateway gateway = gateways.builder().gatewayErrorPages().route(route("/", upstream.url())
                .limits(LimitsConfig.builder().maxConnections(1).build()).build()).start();
        try {
            CompletableFuture<ContentResponse> first = CompletableFuture.supplyAsync(() -> send(gateway, "/first"));
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<ContentResponse> second = CompletableFuture.supplyAsync(() -> send(gateway, "/second"));
            release.countDown();

            assertThat(first.get(20, TimeUnit.SECONDS).getContentAsString()).isEqualTo("/first");
            assertThat(second.get(20, TimeUnit.SECONDS).getContentAsString()).isEqualTo("/second");
            // With one connection allowed, the second request waited for it instead of opening another.
            assertThat(upstream.connectionsAccepted()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void requestsBeyondTheConnectionAndQueueLimitsAreConnectionLimitReached503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(firstArrived, release));
        RunningGateway gateway = gateways.builder().gatewayErrorPages().route(route("/", upstream.url())
                .limits(LimitsConfig.builder().maxConnections(1).maxQueuedRequests(1).build()).build()).start();
        try {
            CompletableFuture<ContentResponse> first = CompletableFuture.supplyAsync(() -> send(gateway, "/first"));
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            // Two more: one takes the only queue slot, the other finds the queue full.
            CompletableFuture<ContentResponse> second = CompletableFuture.supplyAsync(() -> send(gateway, "/second"));
            CompletableFuture<ContentResponse> third = CompletableFuture.supplyAsync(() -> send(gateway, "/third"));
            ContentResponse rejected = (ContentResponse) CompletableFuture.anyOf(second, third).get(20, TimeUnit.SECONDS);
            release.countDown();

            assertThat(rejected.getStatus()).isEqualTo(503);
            assertThat(rejected.getHeaders().get("Proxy-Status")).contains("error=connection_limit_reached");
            assertThat(rejected.getHeaders().get("Retry-After")).isEqualTo("5");
            assertThat(first.get(20, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            assertThat(List.of(second.get(20, TimeUnit.SECONDS).getStatus(), third.get(20, TimeUnit.SECONDS).getStatus()))
                    .containsExactlyInAnyOrder(200, 503);
        } finally {
            release.countDown();
        }
    }

    private static ContentResponse send(RunningGateway gateway, String path) {
        try {
            return get(gateway, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RouteConfig.Builder route(String path, String url) {
        return RouteConfig.builder().path(path).stripPrefix(true).upstream(url);
    }
}
