package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.DataSizes;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.Limits;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.Timeouts;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.server.GatewayServer;
import io.gatewise.testing.HoldingServlet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timeouts and limits are the route's own: two routes to the same kind of upstream behave apart. */
class PerRouteSettingsTest {
    private HttpClient client;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        client = new HttpClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        if (gateway != null) {
            gateway.stop();
        }
    }

    private ContentResponse get(String path) throws Exception {
        return client.newRequest("http://127.0.0.1:" + gateway.port() + path).timeout(20, TimeUnit.SECONDS).send();
    }

    @Test
    void responseHeaderLimitIsPerRoute() throws Exception {
        try (SocketUpstream upstream = SocketUpstream.start(Faults.oversizedHeaders(20 * 1024))) {
            gateway = ProxyForwardingTest.startGateway(GatewayConfig.builder()
                    .route(route("/strict/", upstream.url()).limits(Limits.builder()
                            .maxResponseHeaderSize(DataSizes.parse("16KB")).build()).build())
                    .route(route("/lenient/", upstream.url()).limits(Limits.builder()
                            .maxResponseHeaderSize(DataSizes.parse("64KB")).build()).build())
                    .build());

            assertThat(get("/lenient/x").getStatus()).isEqualTo(200);
            assertThat(get("/strict/x").getStatus()).isEqualTo(502);
        }
    }

    @Test
    void responseTimeoutIsPerRoute() throws Exception {
        try (SocketUpstream silent = SocketUpstream.start(Faults.noResponse());
                // Answers after twice the impatient route's timeout: only the patient route waits for it.
                SocketUpstream answering = SocketUpstream.start((socket, head) -> {
                    Thread.sleep(2000);
                    Faults.status(200, "late but fine").serve(socket, head);
                })) {
            gateway = ProxyForwardingTest.startGateway(GatewayConfig.builder()
                    .route(route("/impatient/", silent.url()).timeouts(Timeouts.builder()
                            .response(Duration.ofSeconds(1)).build()).build())
                    .route(route("/patient/", answering.url()).build())
                    .build());

            assertThat(get("/impatient/x").getStatus()).isEqualTo(504);
            assertThat(get("/patient/x").getContentAsString()).isEqualTo("late but fine");
        }
    }

    @Test
    void maxConnectionsQueuesRequestsBeyondTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        Server upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        ConnectionStatistics connections = new ConnectionStatistics();
        connector.addBean(connections);
        upstream.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HoldingServlet(firstArrived, release)), "/*");
        upstream.setHandler(context);
        upstream.start();
        try {
            gateway = ProxyForwardingTest.startGateway(GatewayConfig.builder()
                    .route(route("/", "http://127.0.0.1:" + connector.getLocalPort())
                            .limits(Limits.builder().maxConnections(1).build()).build())
                    .build());

            CompletableFuture<ContentResponse> first = CompletableFuture.supplyAsync(() -> send("/first"));
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<ContentResponse> second = CompletableFuture.supplyAsync(() -> send("/second"));
            release.countDown();

            assertThat(first.get(20, TimeUnit.SECONDS).getContentAsString()).isEqualTo("/first");
            assertThat(second.get(20, TimeUnit.SECONDS).getContentAsString()).isEqualTo("/second");
            // With one connection allowed, the second request waited for it instead of opening another.
            assertThat(connections.getConnectionsTotal()).isEqualTo(1);
        } finally {
            release.countDown();
            upstream.stop();
        }
    }

    @Test
    void requestsBeyondTheConnectionAndQueueLimitsAreConnectionLimitReached503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        try (io.gatewise.testing.JettyUpstream upstream = io.gatewise.testing.JettyUpstream.start(
                java.util.Map.of("/*", new HoldingServlet(firstArrived, release)))) {
            gateway = ProxyForwardingTest.startGateway(io.gatewise.config.GatewayConfig.builder()
                    .route(route("/", upstream.url())
                            .limits(Limits.builder().maxConnections(1).maxQueuedRequests(1).build()).build())
                    .build());
            CompletableFuture<ContentResponse> first = CompletableFuture.supplyAsync(() -> send("/first"));
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            // Two more: one takes the only queue slot, the other finds the queue full.
            CompletableFuture<ContentResponse> second = CompletableFuture.supplyAsync(() -> send("/second"));
            CompletableFuture<ContentResponse> third = CompletableFuture.supplyAsync(() -> send("/third"));
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

    private ContentResponse send(String path) {
        try {
            return get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RouteConfig.Builder route(String path, String url) {
        return RouteConfig.builder().path(path).stripPrefix(true).upstream(url);
    }
}
