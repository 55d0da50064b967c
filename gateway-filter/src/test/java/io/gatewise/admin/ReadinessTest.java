package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping with a shutdown delay: readiness turns false at once, and traffic is still served
 * during the delay, so a load balancer has time to stop sending any. The delay (6 s) is a margin,
 * not a measurement: the test acts as soon as readiness has turned.
 */
class ReadinessTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void readinessTurnsFalseFirstAndTrafficIsServedDuringTheDelay() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.builder()
                .route(RouteConfig.builder().path("/").upstream(upstream.url()).build())
                .settings(settings -> settings.shutdownDelay(Duration.ofSeconds(6)))
                .admin(AdminConfig.builder().port(0).token(AdminApiTest.TOKEN).build())
                .start();
        String admin = gateway.adminUrl();
        assertThat(status(admin + "/readyz")).isEqualTo(200);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                gateway.server().stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> status(admin + "/readyz") == 503);

        assertThat(gateway.get("/still/served").getStatus()).isEqualTo(200);
        assertThat(status(admin + "/livez")).as("alive while it drains").isEqualTo(200);
        stopped.get();
    }
}
