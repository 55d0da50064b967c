package io.gatewise.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.ConfigLoader;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.ReloadResult;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway's meters, counted against real gateways and loopback upstreams. */
class GatewayMetricsTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static String refusing() throws Exception {
        return "http://127.0.0.1:" + ClosedPort.find();
    }

    private static UpstreamConfig upstream(String url) {
        return UpstreamConfig.builder().url(url).build();
    }

    private static MeterRegistry registry(RunningGateway gateway) {
        return gateway.server().gateway().metrics().registry().orElseThrow();
    }

    private static double counted(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long timed(MeterRegistry registry, String... tags) {
        return registry.find(MetricNames.REQUESTS).tags(tags).timers().stream().mapToLong(Timer::count).sum();
    }

    private static double state(MeterRegistry registry, String route, String upstream, String state) {
        return registry.get(MetricNames.UPSTREAM_STATE)
                .tags(MetricNames.ROUTE, route, MetricNames.UPSTREAM, upstream, MetricNames.STATE, state).gauge().value();
    }

    /** Answers every request with a 503, as an overloaded upstream does. */
    static final class Unavailable extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(503);
        }
    }

    @Test
    void threeRefusedRequestsWithOneRetryEachCountSixFailedAttemptsThreeErrorsAndThreeFailedRetries()
            throws Exception {
        String a = refusing();
        String b = refusing();
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(a), upstream(b))).build());

        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/api/orders/" + i).getStatus()).isEqualTo(502);
        }

        MeterRegistry registry = registry(gateway);
        assertThat(counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "route", "/api/",
                "error_type", "connection_refused")).isEqualTo(6);
        assertThat(counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "upstream", a)
                + counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "upstream", b)).isEqualTo(6);
        assertThat(counted(registry, MetricNames.PROXY_ERRORS, "route", "/api/", "error_type", "connection_refused",
                "cause", "upstream_down", "phase", "connect")).isEqualTo(3);
        assertThat(counted(registry, MetricNames.RETRIES, "route", "/api/", "result", "failure")).isEqualTo(3);
        assertThat(counted(registry, MetricNames.RETRIES, "route", "/api/", "result", "success")).isZero();
        assertThat(counted(registry, MetricNames.RETRY_BUDGET_EXHAUSTED, "route", "/api/")).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timed(registry, "route", "/api/",
                "method", "GET", "status", "502")).isEqualTo(3));
    }

    @Test
    void aRetryThatAnotherUpstreamAnswersCountsAsASuccess() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(refusing()), upstream(live.url())))
                .ejection(EjectionConfig.builder().consecutiveFailures(0).build()).build());

        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(200);
        }

        MeterRegistry registry = registry(gateway);
        double failedAttempts = counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "route", "/api/");
        assertThat(failedAttempts).as("round robin sends every other first attempt to the refusing one")
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(counted(registry, MetricNames.RETRIES,
                "route", "/api/", "result", "success")).isEqualTo(failedAttempts));
        assertThat(counted(registry, MetricNames.PROXY_ERRORS)).isZero();
    }

    @Test
    void anErrorStatusTheRouteRetriesOnIsAFailedAttemptNamedByItsStatus() throws Exception {
        JettyUpstream unavailable = gateways.jettyUpstream(new Unavailable());
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(unavailable.url()), upstream(live.url())))
                .retries(RetryConfig.builder().onStatuses(List.of(503)).build()).build());

        for (int i = 0; i < 2; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(200);
        }

        MeterRegistry registry = registry(gateway);
        assertThat(counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "route", "/api/", "upstream",
                unavailable.url(), "error_type", "received_status_503")).isEqualTo(1);
        assertThat(counted(registry, MetricNames.PROXY_ERRORS)).isZero();
    }

    @Test
    void retriesTheBudgetRefusesAreCountedAndNotSent() throws Exception {
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(refusing()), upstream(refusing())))
                .retries(RetryConfig.builder().budgetPercent(0).minRetriesPerSecond(0).build()).build());

        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(502);
        }

        MeterRegistry registry = registry(gateway);
        assertThat(counted(registry, MetricNames.RETRY_BUDGET_EXHAUSTED, "route", "/api/")).isEqualTo(3);
        assertThat(counted(registry, MetricNames.UPSTREAM_ATTEMPT_FAILURES, "route", "/api/")).isEqualTo(3);
        assertThat(counted(registry, MetricNames.RETRIES, "route", "/api/")).isZero();
        assertThat(counted(registry, MetricNames.PROXY_ERRORS, "route", "/api/")).isEqualTo(3);
    }

    @Test
    void theRequestTimerCountsEveryAnswerByRouteMethodAndStatus() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        RunningGateway gateway = gateways.start(
                RouteConfig.builder().path("/api/").upstream(live.url()).build(),
                RouteConfig.builder().path("/closed/").upstream(live.url()).maintenance(true).build());

        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/api/items/" + i).getStatus()).isEqualTo(200);
        }
        assertThat(gateway.request("/api/items").method("POST").send().getStatus()).isEqualTo(200);
        assertThat(gateway.request("/api/items").method("PROPFIND").send().getStatus()).isEqualTo(200);
        assertThat(gateway.get("/closed/x").getStatus()).isEqualTo(503);
        assertThat(gateway.get("/nowhere/secret-4711").getStatus()).isEqualTo(500);
        assertThat(gateway.request("/api/items").method("TRACE").send().getStatus()).isEqualTo(405);

        MeterRegistry registry = registry(gateway);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(timed(registry, "route", "/api/", "method", "GET", "status", "200")).isEqualTo(3);
            assertThat(timed(registry, "route", "/api/", "method", "POST", "status", "200")).isEqualTo(1);
            assertThat(timed(registry, "route", "/api/", "method", "other", "status", "200")).isEqualTo(1);
        });
        assertThat(timed(registry, "route", "/closed/", "method", "GET", "status", "503")).isEqualTo(1);
        assertThat(timed(registry, "route", "-", "method", "GET", "status", "500")).isEqualTo(1);
        assertThat(timed(registry, "route", "/api/", "method", "TRACE", "status", "405")).isEqualTo(1);
        assertThat(timed(registry)).isEqualTo(8);
        assertThat(counted(registry, MetricNames.PROXY_ERRORS, "route", "/closed/", "upstream", "-",
                "error_type", "destination_unavailable", "cause", "maintenance", "phase", "route")).isEqualTo(1);
        assertThat(counted(registry, MetricNames.PROXY_ERRORS, "route", "-", "error_type", "destination_not_found"))
                .isEqualTo(1);
        assertThat(counted(registry, MetricNames.PROXY_ERRORS)).as("a refused TRACE is the client's error, not the gateway's")
                .isEqualTo(2);
    }

    @Test
    void aReloadRemovesTheMetersOfTheRoutesItRemoved() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        RunningGateway gateway = gateways.start(
                RouteConfig.builder().path("/api/").upstream(live.url()).build(),
                RouteConfig.builder().path("/old/").upstream(refusing()).build());
        assertThat(gateway.get("/api/x").getStatus()).isEqualTo(200);
        assertThat(gateway.get("/old/x").getStatus()).isEqualTo(502);
        assertThat(gateway.get("/nowhere/x").getStatus()).isEqualTo(500);
        MeterRegistry registry = registry(gateway);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timed(registry)).isEqualTo(3));
        assertThat(registry.find(MetricNames.PROXY_ERRORS).tag("route", "/old/").meters()).isNotEmpty();

        Gateway running = gateway.server().gateway();
        GatewayConfig before = running.config();
        ReloadResult result = running.reload(GatewayConfig.builder().gateway(before.gateway())
                .errorPages(before.errorPages()).route(before.routes().get(0)).build());

        assertThat(result.success()).as(result.toString()).isTrue();
        assertThat(registry.getMeters()).as("nothing of /old/ is left")
                .noneMatch(meter -> "/old/".equals(meter.getId().getTag("route")));
        assertThat(timed(registry, "route", "/api/")).as("the kept route's count").isEqualTo(1);
        assertThat(timed(registry, "route", "-")).as("answers no route matched").isEqualTo(1);
        assertThat(counted(registry, MetricNames.RETRIES, "route", "/api/")).as("still registered at zero").isZero();
        assertThat(registry.find(MetricNames.RETRIES).tag("route", "/api/").meters()).isNotEmpty();
    }

    @Test
    void upstreamStateFollowsEjectionAndMaintenance() throws Exception {
        String dead = refusing();
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(dead), upstream(live.url())))
                .ejection(EjectionConfig.builder().consecutiveFailures(1).build()).build());
        MeterRegistry registry = registry(gateway);
        assertThat(state(registry, "/api/", dead, "healthy")).isEqualTo(1);
        assertThat(state(registry, "/api/", dead, "ejected")).isZero();

        assertThat(gateway.get("/api/a").getStatus()).isEqualTo(200);
        assertThat(gateway.get("/api/b").getStatus()).isEqualTo(200);

        assertThat(state(registry, "/api/", dead, "ejected")).isEqualTo(1);
        assertThat(state(registry, "/api/", dead, "healthy")).isZero();
        assertThat(state(registry, "/api/", live.url(), "healthy")).isEqualTo(1);

        gateway.server().gateway().route("/api/").orElseThrow().maintenance(true);

        for (String upstream : List.of(dead, live.url())) {
            assertThat(state(registry, "/api/", upstream, "maintenance")).isEqualTo(1);
            for (String other : List.of("healthy", "ejected", "unhealthy", "circuit_open", "draining")) {
                assertThat(state(registry, "/api/", upstream, other)).as(upstream + " " + other).isZero();
            }
        }
    }

    @Test
    void thePrometheusTextHasTheContractNamesAndLabelsAndNoRequestPath() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        String dead = refusing();
        RunningGateway gateway = gateways.start(
                RouteConfig.builder().path("/api/").upstream(live.url()).build(),
                RouteConfig.builder().path("/down/").upstream(dead).build());
        assertThat(gateway.get("/api/users/12345?token=abc").getStatus()).isEqualTo(200);
        assertThat(gateway.get("/down/users/67890").getStatus()).isEqualTo(502);
        assertThat(gateway.get("/nowhere/secret-4711").getStatus()).isEqualTo(500);
        GatewayMetrics metrics = gateway.server().gateway().metrics();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timed(registry(gateway))).isEqualTo(3));

        String text = metrics.prometheusText().orElseThrow();

        assertThat(text)
                .contains("gatewise_requests_seconds_count{method=\"GET\",route=\"/api/\",status=\"200\"} 1")
                .contains("gatewise_requests_seconds_bucket{method=\"GET\",route=\"/api/\",status=\"200\",le=\"0.25\"}")
                .contains("gatewise_requests_seconds_sum{method=\"GET\",route=\"-\",status=\"500\"}")
                .contains("gatewise_proxy_errors_total{cause=\"upstream_down\",error_type=\"connection_refused\","
                        + "phase=\"connect\",route=\"/down/\",upstream=\"" + dead + "\"} 1.0")
                .contains("gatewise_proxy_errors_total{cause=\"configuration\",error_type=\"destination_not_found\","
                        + "phase=\"route\",route=\"-\",upstream=\"-\"} 1.0")
                .contains("gatewise_upstream_attempt_failures_total{error_type=\"connection_refused\",route=\"/down/\","
                        + "upstream=\"" + dead + "\"} 1.0")
                .contains("gatewise_retries_total{result=\"success\",route=\"/api/\"} 0.0")
                .contains("gatewise_retry_budget_exhausted_total{route=\"/down/\"} 0.0")
                .contains("gatewise_upstream_state{route=\"/down/\",state=\"healthy\",upstream=\"" + dead + "\"} 1.0")
                .contains("gatewise_upstream_state{route=\"/api/\",state=\"circuit_open\",upstream=\"" + live.url()
                        + "\"} 0.0")
                .contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                        "system_cpu_count ", "process_uptime_seconds ")
                .contains("jetty_threads_current ", "jetty_connections_current")
                .doesNotContain("secret-4711", "token=abc", "/users")
                // The requests' ids in no label; as bare digits they could match a sample's value (0.4567901234567901).
                .doesNotContainPattern("\\{[^}]*(12345|67890)[^}]*\\}");
    }

    @Test
    void configReloadMetersReadWhatTheIntegratorBinds() {
        GatewayMetrics metrics = GatewayMetrics.create(null);
        AtomicLong succeeded = new AtomicLong(2);
        metrics.bindConfigReloads(succeeded::get, () -> 1, () -> 1_700_000_000.5);
        succeeded.incrementAndGet();

        assertThat(metrics.prometheusText().orElseThrow())
                .contains("gatewise_config_reloads_total{result=\"success\"} 3.0")
                .contains("gatewise_config_reloads_total{result=\"failure\"} 1.0")
                .contains("gatewise_config_last_reload_success_timestamp_seconds 1.7000000005E9");
    }

    @Test
    void metricsOffKeepNoMetersEvenInTheApplicationsRegistry() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        SimpleMeterRegistry application = new SimpleMeterRegistry();
        RunningGateway gateway = gateways.builder().settings(settings -> settings.metrics(false))
                .meterRegistry(application)
                .route(RouteConfig.builder().path("/api/").upstream(live.url()).build()).start();

        assertThat(gateway.get("/api/x").getStatus()).isEqualTo(200);

        GatewayMetrics metrics = gateway.server().gateway().metrics();
        assertThat(metrics.enabled()).isFalse();
        assertThat(metrics.registry()).isEmpty();
        assertThat(metrics.prometheusText()).isEmpty();
        assertThat(metrics.reader()).as("reads records, counts nothing").isNotInstanceOf(RequestMeters.class);
        assertThat(application.getMeters()).isEmpty();
    }

    @Test
    void anApplicationsRegistryGetsTheGatewayMetersAndTheServersButNotTheJvms() throws Exception {
        JettyUpstream live = gateways.jettyUpstream(new NamedServlet("live"));
        SimpleMeterRegistry application = new SimpleMeterRegistry();
        RunningGateway gateway = gateways.builder().meterRegistry(application)
                .route(RouteConfig.builder().path("/api/").upstream(live.url()).build()).start();

        ContentResponse response = gateway.get("/api/x");
        assertThat(response.getStatus()).isEqualTo(200);

        Gateway running = gateway.server().gateway();
        assertThat(running.metrics().registry()).containsSame(application);
        assertThat(running.metrics().prometheusText()).as("the application publishes its registry its own way")
                .isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timed(application, "route", "/api/",
                "method", "GET", "status", "200")).isEqualTo(1));
        Gauge healthy = application.get(MetricNames.UPSTREAM_STATE).tags("upstream", live.url(), "state", "healthy")
                .gauge();
        assertThat(healthy.value()).isEqualTo(1);
        assertThat(application.find("jetty.threads.current").gauge()).isNotNull();
        assertThat(application.find("jvm.memory.used").gauges()).as("the JVM's meters are the application's")
                .isEmpty();
    }

    @Test
    void theConfigFileTurnsMetricsOff() {
        String routes = "routes:\n  - path: /api/\n    upstreams: [ { url: \"http://127.0.0.1:9\" } ]\n";

        assertThat(ConfigLoader.parse(routes, "on.yaml").gateway().metrics()).isTrue();
        GatewayConfig off = ConfigLoader.parse("gateway: { metrics: false }\n" + routes, "off.yaml");
        assertThat(off.gateway().metrics()).isFalse();
        assertThat(Gateway.builder(off).build().metrics().enabled()).isFalse();
    }

    @Test
    void methodsOutsideTheStandardOnesShareOneLabel() {
        assertThat(Map.of("GET", RequestMeters.method("GET"), "PATCH", RequestMeters.method("PATCH"),
                "get", RequestMeters.method("get"), "PROPFIND", RequestMeters.method("PROPFIND")))
                .containsEntry("GET", "GET").containsEntry("PATCH", "PATCH")
                .containsEntry("get", "other").containsEntry("PROPFIND", "other");
    }
}
