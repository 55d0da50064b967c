package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping the gateway loses no request in flight: it stops accepting, lets the requests it has
 * finish within {@code gateway.shutdownTimeout}, and only then stops. Driven by latches, not by time.
 */
class GracefulShutdownTest {
    private static final int IN_FLIGHT = 8;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient client = new HttpClient();

    @AfterEach
    void stopClient() throws Exception {
        client.stop();
    }

    /** Holds every request until released. */
    static final class Gate extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient CountDownLatch arrived = new CountDownLatch(IN_FLIGHT);
        final transient CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            arrived.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.getWriter().print("done");
        }
    }

    @Test
    void stopLetsRequestsInFlightFinishAndAcceptsNoNewConnection() throws Exception {
        Gate gate = new Gate();
        JettyUpstream upstream = gateways.jettyUpstream(gate);
        GatewayServer server = GatewayServer.builder(GatewayConfig.builder()
                .gateway(ServerConfig.builder().name("edge-1").host("127.0.0.1").port(0)
                        .shutdownTimeout(Duration.ofSeconds(20)).build())
                .route(RouteConfig.builder().path("/").upstream(upstream.url()).build()).build()).build().start();
        int port = server.port();
        client.start();
        List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            responses.add(new CompletableResponseListener(client.newRequest("127.0.0.1", port).path("/slow/" + i)
                    .timeout(30, TimeUnit.SECONDS)).send());
        }
        assertThat(gate.arrived.await(10, TimeUnit.SECONDS)).as("all in flight at the upstream").isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ClosedPort.awaitRefusing(port, Duration.ofSeconds(10));
        assertThat(stopped).as("still draining").isNotDone();
        gate.release.countDown();

        for (CompletableFuture<ContentResponse> response : responses) {
            ContentResponse answer = response.get(20, TimeUnit.SECONDS);
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getContentAsString()).isEqualTo("done");
        }
        stopped.get(20, TimeUnit.SECONDS);
        assertThat(server.gateway().isRunning()).as("its clients stop last").isFalse();
    }
}
