package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigLoader;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.runtime.GatewayState;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.NamedServlet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gateway.warmup}: before its readiness turns true, the standalone server sends synthetic
 * traffic through a twin of the gateway on loopback, and nothing of it reaches the running
 * gateway's upstreams, meters or failure log. Real servers on loopback; the waits are for state
 * changes (seconds of margin), never for a measured time.
 */
class GatewayWarmupTest {
    private static final String TOKEN = "warmup-test-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theTwinTakesEveryPathOfTheMixAndNeverTheRunningGatewaysUpstreams() throws Exception {
        NamedServlet configured = new NamedServlet("configured");
        String upstream = gateways.jettyUpstream(configured).url();
        GatewayConfig config = GatewayConfig.builder()
                .route(RouteConfig.builder().path("/api/").upstream(upstream).build()).build();

        GatewayWarmup.Outcome outcome = GatewayWarmup.run(config, Duration.ofSeconds(2));

        assertThat(outcome.error()).isNull();
        assertThat(outcome.failed()).isZero();
        // 200 from the twin's upstream, 502 connection_refused, 500 for the path no route matches.
        assertThat(outcome.byStatus()).containsOnlyKeys(200, 500, 502);
        assertThat(outcome.requests()).isGreaterThan(GatewayWarmup.LANES);
        assertThat(outcome.toString()).contains("request(s) in").contains("200: ").contains("502: ");
        assertThat(configured.served()).isZero();
    }

    @Test
    void theTwinKeepsTheSettingsAndErrorPagesAndDropsWhatReachesOutside() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway: { name: edge, port: 9090, accessLog: "-", watchConfig: true, proxyStatus: full,
                           prohibitedAddresses: [127.0.0.0/8], shutdownDelay: 10s, warmup: 30s }
                errorPages: { contact: "Call the platform team, extension 4242." }
                admin: { port: 9091, token: "%s" }
                tracing: { enabled: true, endpoint: "http://127.0.0.1:4318/v1/traces" }
                routes:
                  - path: /api/
                    upstreams: [{ url: "http://orders.example.invalid:8080" }]
                """.formatted(TOKEN), "gateway.yaml");

        GatewayConfig twin = GatewayWarmup.twin(config, 40001, 40002);

        assertThat(twin.gateway().name()).isEqualTo("edge");
        assertThat(twin.gateway().proxyStatus()).isEqualTo(config.gateway().proxyStatus());
        assertThat(twin.errorPages()).isEqualTo(config.errorPages());
        assertThat(twin.gateway().host()).isEqualTo("127.0.0.1");
        assertThat(twin.gateway().port()).isZero();
        assertThat(twin.gateway().accessLog()).isNull();
        assertThat(twin.gateway().watchConfig()).isFalse();
        assertThat(twin.gateway().prohibitedAddresses()).isEmpty();
        assertThat(twin.gateway().warmup()).isZero();
        assertThat(twin.admin()).isEmpty();
        assertThat(twin.alerts()).isEmpty();
        assertThat(twin.tracing().enabled()).isFalse();
        assertThat(twin.routes()).extracting(route -> route.upstreams().get(0).url().toString())
                .containsExactly("http://127.0.0.1:40001", "http://127.0.0.1:40002");
    }

    @Test
    void readinessTurnsTrueOnlyOnceTheWarmupIsOverWhileRealTrafficIsServedMeanwhile() throws Exception {
        NamedServlet configured = new NamedServlet("configured");
        String upstream = gateways.jettyUpstream(configured).url();
        List<GatewayState> states = new CopyOnWriteArrayList<>();
        var gateway = gateways.builder().route(RouteConfig.builder().path("/api/").upstream(upstream).build())
                .settings(settings -> settings.warmup(Duration.ofSeconds(3)))
                .admin(AdminConfig.builder().port(0).token(TOKEN).build()).start();
        gateway.server().gateway().addStateListener((previous, current) -> states.add(current));

        assertThat(gateway.server().gateway().state()).isEqualTo(GatewayState.WARMING);
        HttpResponse<String> warming = get(gateway.adminUrl() + "/readyz");
        assertThat(warming.statusCode()).isEqualTo(503);
        assertThat(warming.body()).isEqualTo("warming\n");
        assertThat(get(gateway.adminUrl() + "/livez").statusCode()).isEqualTo(200);
        // A request that arrives while it warms up is served as ever.
        assertThat(gateway.get("/api/one").getContentAsString()).isEqualTo("configured");

        awaitState(gateway.server().gateway(), GatewayState.READY);
        assertThat(get(gateway.adminUrl() + "/readyz").statusCode()).isEqualTo(200);
        assertThat(states).containsExactly(GatewayState.READY);
        // Only the one real request reached the real upstream, its meters and its failure record.
        assertThat(configured.served()).isEqualTo(1);
        assertThat(gateway.server().gateway().recentFailures().latest(100)).isEmpty();
        assertThat(gateway.server().gateway().metrics().prometheusText().orElseThrow())
                .contains("gatewise_requests_seconds_count{")
                .doesNotContain("route=\"/warmup/\"").doesNotContain("route=\"/refused/\"");
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void aServerStoppedWhileItWarmsUpStopsAtOnce() {
        assertTimeoutPreemptively(WAIT, () -> {
            var gateway = gateways.builder().route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:9")
                    .build()).settings(settings -> settings.warmup(ServerConfig.MAX_WARMUP)).start();
            assertThat(gateway.server().gateway().state()).isEqualTo(GatewayState.WARMING);

            gateway.server().stop();

            assertThat(gateway.server().gateway().state()).isEqualTo(GatewayState.STOPPED);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith(
                    "gatewise-warmup"));
        });
    }

    @Test
    void aGatewayThatBeganDrainingWhileWarmingStaysDraining() throws Exception {
        var gateway = gateways.builder().route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:9")
                .build()).settings(settings -> settings.warmup(ServerConfig.MAX_WARMUP)).start();
        var running = gateway.server().gateway();

        running.beginDraining();

        assertThat(running.warmedUp()).isFalse();
        assertThat(running.state()).isEqualTo(GatewayState.DRAINING);
    }

    @Test
    void theWarmupIsReadFromYamlAndBoundedWithALocatedError() throws Exception {
        assertThat(ConfigLoader.parse(config("warmup: 10s"), "gateway.yaml").gateway().warmup())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(ConfigLoader.parse(config("port: 8080"), "gateway.yaml").gateway().warmup()).isZero();
        assertThatThrownBy(() -> ConfigLoader.parse(config("warmup: 6m"), "gateway.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.yaml:1:").hasMessageContaining("gateway.warmup")
                .hasMessageContaining("6m (expected: from 0s (off) to 5m)");
        assertThatThrownBy(() -> ConfigLoader.parse(config("warmup: -1s"), "gateway.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.warmup");
        assertThatThrownBy(() -> ConfigLoader.parse(config("warmup: soon"), "gateway.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.warmup");
    }

    private static String config(String setting) {
        return "gateway: { " + setting + " }\nroutes:\n  - path: /api/\n    upstreams: [{ url: \"http://127.0.0.1:9\" }]\n";
    }

    private static void awaitState(io.gatewise.runtime.Gateway gateway, GatewayState state)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gateway.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gateway.state()).isEqualTo(state);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
