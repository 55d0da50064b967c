package io.gatewise.server;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static io.gatewise.testing.FailureAssertions.assertRecordedAfterCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.GatewayStoppingException;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.ClosedPort;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.observe.FailureLog;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.GatewayState;
import io.gatewise.testing.GateServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.HoldingServlet;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping the gateway loses no request in flight: it turns draining, stops accepting, lets the
 * requests it has finish within {@code gateway.shutdownTimeout}, ends those still running with its
 * own answer, and only then stops. Driven by latches, not by time: a 1 s shutdown timeout only
 * where a test needs the deadline to pass.
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

    @Test
    void stopLetsRequestsInFlightFinishAndAcceptsNoNewConnection() throws Exception {
        GateServlet gate = new GateServlet(IN_FLIGHT);
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
        assertThat(gate.awaitArrived(10)).as("all in flight at the upstream").isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ClosedPort.awaitRefusing(port, Duration.ofSeconds(10));
        assertThat(stopped).as("still draining").isNotDone();
        gate.open();

        for (CompletableFuture<ContentResponse> response : responses) {
            ContentResponse answer = response.get(20, TimeUnit.SECONDS);
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getContentAsString()).isEqualTo("done");
        }
        stopped.get(20, TimeUnit.SECONDS);
        assertThat(server.gateway().isRunning()).as("its clients stop last").isFalse();
    }

    @Test
    void requestHeldPastTheShutdownDeadlineGetsTheGatewaysAnswerRecordedAndLogged() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(arrived, release));
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/").upstream(upstream.url())
                .build()).settings(settings -> settings.shutdownTimeout(Duration.ofSeconds(1))).start();
        try {
            CompletableFuture<ContentResponse> response = new CompletableResponseListener(gateway.request("/first"))
                    .send();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("held at the upstream").isTrue();

            gateway.server().stop();

            ContentResponse answer = response.get(10, TimeUnit.SECONDS);
            UpstreamFailure failure = assertAnswered(gateway, answer, ProxyErrorType.PROXY_INTERNAL_RESPONSE, 503,
                    FailureCause.GATEWAY_STOPPING, EnumSet.of(Phase.SEND, Phase.AWAIT_HEADERS), null);
            assertThat(answer.getHeaders().get("Connection")).isEqualToIgnoringCase("close");
            assertThat(answer.getHeaders().get("Retry-After")).matches("\\d+");
            assertThat(gateway.failureAttributes(answer))
                    .containsEntry(FailureAttributes.UPSTREAM, "127.0.0.1:" + URI.create(upstream.url()).getPort());
            if (gateway.answersWithTheAttributesPage()) {
                assertThat(gateway.failureAttributes(answer)).containsEntry("jakarta.servlet.error.message",
                        "The gateway is shutting down and ended the request (proxy_internal_response). Incident "
                        + failure.incident() + ".");
            } else {
                assertThat(answer.getContentAsString()).as("the gateway's own page").contains(failure.incident());
            }
            assertThat(failure.reason()).isEqualTo(GatewayStoppingException.REASON);
            assertThat(failure.upstreamMayHaveSeenRequest()).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void theFailureLogSaysTheExchangeWasEndedAtTheShutdownDeadline() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(arrived, release));
        BlockingQueue<FailureEvent> events = new LinkedBlockingQueue<>();
        GatewayServer server = GatewayServer.builder(GatewayConfig.builder()
                .gateway(ServerConfig.builder().name("edge-1").host("127.0.0.1").port(0)
                        .shutdownTimeout(Duration.ZERO).build())
                .route(RouteConfig.builder().path("/").upstream(upstream.url()).build()).build())
                .listener(events::add).build().start();
        try {
            client.start();
            CompletableFuture<ContentResponse> response = new CompletableResponseListener(
                    client.newRequest("127.0.0.1", server.port()).path("/first").timeout(30, TimeUnit.SECONDS)).send();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("held at the upstream").isTrue();

            server.stop();

            assertThat(response.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(503);
            FailureEvent event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(FailureLog.line(event)).contains("type=proxy_internal_response", "status=503",
                    "cause=gateway_stopping", "committed=false", "path=/first",
                    "reason=\"" + GatewayStoppingException.REASON + "\"");
            assertThat(events).as("recorded once").isEmpty();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStreamingResponseStillRunningAtTheDeadlineIsAbortedAndRecorded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new StreamingServlet(release));
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/").upstream(upstream.url())
                .build()).settings(settings -> settings.shutdownTimeout(Duration.ofSeconds(1))).start();
        try {
            CountDownLatch bodyBegan = new CountDownLatch(1);
            CompletableFuture<ContentResponse> response = new CompletableResponseListener(gateway.request("/stream")
                    .onResponseContent((serverResponse, content) -> bodyBegan.countDown())).send();
            assertThat(bodyBegan.await(10, TimeUnit.SECONDS)).as("the body has begun to reach the client").isTrue();

            gateway.server().stop();

            assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS)).as("an incomplete response, not a page")
                    .isInstanceOf(ExecutionException.class);
            UpstreamFailure failure = assertRecordedAfterCommit(gateway, ProxyErrorType.PROXY_INTERNAL_RESPONSE,
                    FailureCause.GATEWAY_STOPPING, Phase.BODY);
            assertThat(failure.status()).isEqualTo(503);
        } finally {
            release.countDown();
        }
    }

    @Test
    void stateGoesReadyDrainingStoppedAndDrainingIsToldWhileTheServerStillServes() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(new CountDownLatch(1),
                new CountDownLatch(0)));
        RunningGateway running = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());
        Gateway gateway = running.server().gateway();
        int port = running.port();
        assertThat(gateway.state()).isEqualTo(GatewayState.READY);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Integer> servedWhileDraining = new CopyOnWriteArrayList<>();
        gateway.addStateListener((previous, current) -> {
            seen.add(previous + "->" + current);
            if (current == GatewayState.DRAINING && servedWhileDraining.isEmpty()) {
                try {
                    // A fresh connection: the connector still accepts, and the gateway still serves.
                    servedWhileDraining.add(running.get("/during-draining").getStatus());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        running.server().stop();

        assertThat(seen).containsExactly("READY->DRAINING", "DRAINING->STOPPED");
        assertThat(servedWhileDraining).containsExactly(200);
        assertThat(gateway.state()).isEqualTo(GatewayState.STOPPED);
        ClosedPort.awaitRefusing(port, Duration.ofSeconds(10));

        running.server().start();
        assertThat(gateway.state()).as("started again").isEqualTo(GatewayState.READY);
        assertThat(seen).endsWith("STOPPED->READY");
    }

    @Test
    void undeployingTheGatewaysContextEndsItsExchangesTheSameWay() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream upstream = gateways.jettyUpstream(new HoldingServlet(arrived, release));
        Gateway gateway = Gateway.builder(GatewayConfig.builder()
                .gateway(ServerConfig.builder().name("edge-1").shutdownTimeout(Duration.ofSeconds(1)).build())
                .route(RouteConfig.builder().path("/").upstream(upstream.url()).build()).build()).build();
        // A container that keeps running while one web application is undeployed: only the context stops.
        Server container = new Server();
        ServerConnector connector = new ServerConnector(container);
        connector.setHost("127.0.0.1");
        container.addConnector(connector);
        ServletContextHandler context = GatewayServer.newContextHandler("/app", gateway);
        container.setHandler(new ContextHandlerCollection(context));
        container.start();
        try {
            client.start();
            CompletableFuture<ContentResponse> response = new CompletableResponseListener(
                    client.newRequest("127.0.0.1", connector.getLocalPort()).path("/app/first")
                            .timeout(30, TimeUnit.SECONDS)).send();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("held at the upstream").isTrue();

            context.stop();

            ContentResponse answer = response.get(10, TimeUnit.SECONDS);
            assertThat(answer.getStatus()).isEqualTo(503);
            assertThat(RunningGateway.lastProxyStatusMember(answer).parameters())
                    .containsEntry("error", "proxy_internal_response");
            assertThat(answer.getHeaders().get("Retry-After")).matches("\\d+");
            assertThat(answer.getContentAsString()).contains("The gateway is restarting");
            assertThat(gateway.state()).isEqualTo(GatewayState.STOPPED);
            assertThat(gateway.isRunning()).as("its clients and health checks stopped").isFalse();
        } finally {
            release.countDown();
            container.stop();
        }
    }

    /** Sends the head and a first piece of the body, then holds the rest until released. */
    static final class StreamingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch release;

        StreamingServlet(CountDownLatch release) {
            this.release = release;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("first piece");
            response.flushBuffer();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.getWriter().print("the rest");
        }
    }
}
