package io.gatewise.proxy;

import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.GatewayProxyServlet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.Lease;
import io.gatewise.upstream.UpstreamPool;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An error of the gateway's own, mid-request, gives back the upstream it had picked: a half-open
 * circuit's only trial is not lost to it. The error is staged by a servlet subclass whose
 * {@code addProxyHeaders} throws once: loopback cannot make the gateway itself fail on demand.
 */
class GatewayInternalErrorTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final TestClock clock = new TestClock();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aGatewayErrorOnAHalfOpenTrialGivesTheTrialBack() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        Gateway gateway = Gateway.builder(GatewayConfig.builder().gateway(ServerConfig.builder().name("edge-1").build())
                .route(RouteConfig.builder().path("/").upstream(upstream.url())
                        .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(2).windowSize(2)
                                .failureRateThreshold(50).openFor(Duration.ofSeconds(30)).halfOpenCalls(1).build())
                        .build()).build()).clock(clock).build();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        int port = serve(new GatewayProxyServlet(gateway) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("staged gateway bug");
                }
                super.addProxyHeaders(clientRequest, proxyRequest);
            }
        });
        UpstreamPool pool = gateway.routes().routes().get(0).pool();
        Endpoint endpoint = pool.endpoints().get(0);
        for (int i = 0; i < 2; i++) {
            Lease lease = pool.lease(Set.of());
            lease.sent();
            lease.failed("connection_refused");
        }
        assertThat(endpoint.circuitState()).contains("OPEN");
        clock.advance(Duration.ofSeconds(31));

        assertThat(get(port)).as("the trial request meets the staged bug").isEqualTo(500);
        assertThat(get(port)).as("the trial is still there for the next request").isEqualTo(200);
        // The client can read the whole answer before the upstream exchange reports its end.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(endpoint.inFlight()).isZero());
    }

    private int serve(GatewayProxyServlet servlet) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder("gatewise", servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    private static int get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
