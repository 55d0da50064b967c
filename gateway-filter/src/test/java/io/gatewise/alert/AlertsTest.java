package io.gatewise.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.AlertRulesConfig;
import io.gatewise.config.AlertWebhookConfig;
import io.gatewise.config.AlertsConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.RouteDownRuleConfig;
import io.gatewise.config.RouteErrorRateRuleConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.metrics.MetricNames;
import io.gatewise.runtime.Gateway;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.testing.WebhookReceiver;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import io.gatewise.testing.tls.TlsUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each built-in alert against a real gateway, real loopback upstreams and a real webhook receiver:
 * it fires once, repeats after {@code repeatInterval}, and resolves, with the Alertmanager (v4)
 * payload checked field by field and its signature verified. Evaluation is driven by
 * {@code evaluateNow()} on a {@link TestClock}; the schedule is an hour, so it never interferes.
 */
class AlertsTest {
    private static final String SECRET = "webhook-secret-0123456789";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final TestClock clock = new TestClock();

    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private AlertsConfig.Builder alerts(WebhookReceiver receiver) {
        return AlertsConfig.builder()
                .webhook(AlertWebhookConfig.builder().url(receiver.url()).secret(SECRET).build())
                .evaluationInterval(Duration.ofHours(1))
                .repeatInterval(Duration.ofMinutes(30));
    }

    /** Waits for the receiver's n-th request and returns its body, after checking its signature and headers. */
    private JsonNode delivery(WebhookReceiver receiver, int number) throws Exception {
        await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.received().size() >= number);
        WebhookReceiver.Received received = receiver.received().get(number - 1);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/hook");
        assertThat(received.headers().get("content-type")).startsWith("application/json");
        assertThat(received.headers()).as("plain HTTP/1.1, no h2c upgrade").doesNotContainKey("upgrade");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(received.headers().get("x-gatewise-signature")).as("HMAC-SHA256 of the body")
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(received.body()
                        .getBytes(StandardCharsets.UTF_8))));
        return json.readTree(received.body());
    }

    /** Checks the payload's envelope and returns its one alert. */
    private static JsonNode onlyAlert(JsonNode payload, String status, String alertname, String route) {
        assertThat(payload.get("version").asText()).isEqualTo("4");
        assertThat(payload.get("status").asText()).isEqualTo(status);
        assertThat(payload.get("receiver").asText()).isEqualTo("gatewise");
        assertThat(payload.get("groupKey").asText()).isEqualTo("{}:{alertname=\"" + alertname + "\""
                + (route == null ? "" : ", route=\"" + route + "\"") + "}");
        assertThat(payload.get("groupLabels").get("alertname").asText()).isEqualTo(alertname);
        assertThat(payload.has("externalURL")).isTrue();
        assertThat(payload.get("alerts")).hasSize(1);
        JsonNode alert = payload.get("alerts").get(0);
        assertThat(payload.get("commonLabels")).isEqualTo(alert.get("labels"));
        assertThat(payload.get("commonAnnotations")).isEqualTo(alert.get("annotations"));
        assertThat(alert.get("status").asText()).isEqualTo(status);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo(alertname);
        assertThat(alert.get("labels").get("instance").asText()).isEqualTo(RunningGateway.NAME);
        if (route != null) {
            assertThat(alert.get("labels").get("route").asText()).isEqualTo(route);
        }
        assertThat(alert.get("fingerprint").asText()).matches("[0-9a-f]{16}");
        assertThat(alert.has("generatorURL")).isTrue();
        return alert;
    }

    private static Gateway gatewayOf(RunningGateway running) {
        return running.server().gateway();
    }

    @Test
    void routeErrorRateFiresAfterForRepeatsAndResolvesWithHowLongItLasted() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        int refused = ClosedPort.find();
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + refused)
                        .ejection(EjectionConfig.builder().consecutiveFailures(0).build()).build())
                .alerts(alerts(receiver).rules(AlertRulesConfig.builder()
                        .routeErrorRate(RouteErrorRateRuleConfig.builder().threshold("5%").window(Duration.ofMinutes(5))
                                .minRequests(5).pendingFor(Duration.ofMinutes(1)).build())
                        .build()).build())
                .clock(clock)
                .start();
        Gateway gateway = gatewayOf(running);
        for (int i = 0; i < 6; i++) {
            assertThat(running.get("/api/orders").getStatus()).isEqualTo(502);
        }
        Instant pendingSince = clock.instant();

        assertThat(gateway.alerts().evaluateNow()).as("pending for its for: 1m").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        List<Alert> firing = gateway.alerts().evaluateNow();

        assertThat(firing).singleElement().satisfies(alert -> {
            assertThat(alert.name()).isEqualTo(Alert.ROUTE_ERROR_RATE);
            assertThat(alert.startsAt()).isEqualTo(pendingSince.plus(Duration.ofMinutes(1)));
        });
        JsonNode fired = onlyAlert(delivery(receiver, 1), "firing", Alert.ROUTE_ERROR_RATE, "/api/");
        assertThat(fired.get("labels").size()).as("alertname, route, severity, instance").isEqualTo(4);
        assertThat(fired.get("labels").get("severity").asText()).isEqualTo("critical");
        JsonNode annotations = fired.get("annotations");
        assertThat(annotations.get("summary").asText()).isEqualTo("Route /api/ answers 100.0% of its requests with"
                + " gateway errors");
        assertThat(annotations.get("description").asText()).contains("6 of 6 requests to /api/ in the last 5m")
                .contains("Top error type: connection_refused (6), cause upstream_down, phase connect");
        assertThat(annotations.get("error_type").asText()).isEqualTo("connection_refused");
        assertThat(annotations.get("cause").asText()).isEqualTo("upstream_down");
        assertThat(annotations.get("phase").asText()).isEqualTo("connect");
        assertThat(annotations.get("error_ratio").asText()).isEqualTo("1.0000");
        assertThat(annotations.get("hints").asText()).startsWith("- Check that the upstream process is running");
        assertThat(annotations.get("proxy_status").asText()).isEqualTo(RunningGateway.NAME
                + "; error=connection_refused; next-hop=\"127.0.0.1:" + refused + "\"");
        assertThat(fired.get("startsAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(fired.get("endsAt").asText()).as("Alertmanager's zero time while it fires")
                .isEqualTo("0001-01-01T00:00:00Z");
        String fingerprint = fired.get("fingerprint").asText();

        clock.advance(Duration.ofMinutes(10));
        gateway.alerts().evaluateNow();
        assertThat(receiver.received()).as("no repeat before repeatInterval (30m), none while the rate is clear")
                .hasSize(1);
        assertThat(gateway.alerts().firing()).as("still firing: clear for less than its for").hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        gateway.alerts().evaluateNow();
        JsonNode resolved = onlyAlert(delivery(receiver, 2), "resolved", Alert.ROUTE_ERROR_RATE, "/api/");
        assertThat(resolved.get("fingerprint").asText()).as("stable from the labels").isEqualTo(fingerprint);
        assertThat(resolved.get("startsAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2026-01-01T00:12:00Z");
        assertThat(resolved.get("annotations").get("resolved_after").asText()).isEqualTo("11m");
        assertThat(gateway.alerts().firing()).isEmpty();
    }

    @Test
    void routeDownFiresRepeatsEveryRepeatIntervalAndResolvesWhenAnUpstreamIsBack() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        AtomicBoolean healthy = new AtomicBoolean(false);
        var upstream = gateways.jettyUpstream(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(healthy.get() ? 200 : 503);
            }
        });
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/shop/").upstream(upstream.url())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofHours(1))
                                .unhealthyThreshold(1).healthyThreshold(1).build()).build())
                .alerts(alerts(receiver).rules(AlertRulesConfig.builder()
                        .routeDown(RouteDownRuleConfig.builder().pendingFor(Duration.ZERO).build()).build()).build())
                .clock(clock)
                .start();
        Gateway gateway = gatewayOf(running);
        gateway.checkHealthNow().get(10, TimeUnit.SECONDS);

        assertThat(gateway.alerts().evaluateNow()).singleElement()
                .satisfies(alert -> assertThat(alert.name()).isEqualTo(Alert.ROUTE_DOWN));
        JsonNode fired = onlyAlert(delivery(receiver, 1), "firing", Alert.ROUTE_DOWN, "/shop/");
        assertThat(fired.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(fired.get("annotations").get("summary").asText()).isEqualTo("No upstream of route /shop/ can take"
                + " traffic");
        assertThat(fired.get("annotations").get("description").asText())
                .contains(upstream.url() + " unhealthy (status 503)");
        assertThat(fired.get("annotations").get("hints").asText()).contains("Check that the upstream process is running");

        clock.advance(Duration.ofMinutes(29));
        gateway.alerts().evaluateNow();
        clock.advance(Duration.ofMinutes(1));
        gateway.alerts().evaluateNow();
        JsonNode repeated = onlyAlert(delivery(receiver, 2), "firing", Alert.ROUTE_DOWN, "/shop/");
        assertThat(repeated.get("startsAt")).as("a repeat keeps its start").isEqualTo(fired.get("startsAt"));
        assertThat(repeated.get("fingerprint")).isEqualTo(fired.get("fingerprint"));
        assertThat(receiver.received()).as("one repeat, after 30m").hasSize(2);

        healthy.set(true);
        gateway.checkHealthNow().get(10, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(5));
        assertThat(gateway.alerts().evaluateNow()).isEmpty();
        JsonNode resolved = onlyAlert(delivery(receiver, 3), "resolved", Alert.ROUTE_DOWN, "/shop/");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2026-01-01T00:35:00Z");
        assertThat(resolved.get("annotations").get("resolved_after").asText()).isEqualTo("35m");
    }

    @Test
    void certificateExpiringFiresFromTheCertificateSourceAndResolvesOnceRenewed() throws Exception {
        // A fake source stands in for the diagnosis's TLS step, which reads notAfter from real handshakes.
        WebhookReceiver receiver = gateways.webhookReceiver();
        String url = "https://127.0.0.1:" + ClosedPort.find();
        AtomicReference<Instant> notAfter = new AtomicReference<>(clock.instant().plus(Duration.ofDays(3)));
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/pay/").upstream(url).build())
                .alerts(alerts(receiver).build())
                .certificateExpiry((route, upstream) -> route.equals("/pay/") && upstream.equals(url)
                        ? java.util.Optional.of(notAfter.get()) : java.util.Optional.empty())
                .clock(clock)
                .start();
        Gateway gateway = gatewayOf(running);

        gateway.alerts().evaluateNow();

        JsonNode fired = onlyAlert(delivery(receiver, 1), "firing", Alert.CERTIFICATE_EXPIRING, "/pay/");
        assertThat(fired.get("labels").get("upstream").asText()).isEqualTo(url);
        assertThat(fired.get("labels").get("severity").asText()).isEqualTo("warning");
        assertThat(fired.get("annotations").get("summary").asText()).isEqualTo("The certificate of " + url
                + " (route /pay/) ends in 3 day(s)");
        assertThat(fired.get("annotations").get("not_after").asText()).isEqualTo("2026-01-04T00:00:00Z");
        assertThat(fired.get("annotations").get("error_type").asText()).isEqualTo("tls_certificate_error");
        assertThat(fired.get("annotations").get("hints").asText()).contains("openssl s_client");

        notAfter.set(clock.instant().plus(Duration.ofDays(90)));
        gateway.alerts().evaluateNow();
        onlyAlert(delivery(receiver, 2), "resolved", Alert.CERTIFICATE_EXPIRING, "/pay/");
    }

    @Test
    void anExpiredCertificateTheDiagnosisSawFiresTheExpiryAlert() throws Exception {
        // End to end, on the system clock: a real TLS upstream whose certificate ended a day ago.
        WebhookReceiver receiver = gateways.webhookReceiver();
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.EXPIRED));
        String caFile = Files.writeString(dir.resolve("ca.pem"), TestCertificates.caPem()).toString();
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/pay/").upstream(upstream.url())
                        .tls(TlsConfig.builder().caFile(caFile).build()).build())
                .alerts(alerts(receiver).build())
                .start();
        Gateway gateway = gatewayOf(running);

        gateway.diagnoses().watchNow().get(20, TimeUnit.SECONDS);
        gateway.alerts().evaluateNow();

        JsonNode fired = onlyAlert(delivery(receiver, 1), "firing", Alert.CERTIFICATE_EXPIRING, "/pay/");
        assertThat(fired.get("labels").get("upstream").asText()).isEqualTo(upstream.url());
        assertThat(fired.get("labels").get("severity").asText()).as("already ended").isEqualTo("critical");
        assertThat(fired.get("annotations").get("not_after").asText()).isEqualTo(TestCertificates
                .chain(Leaf.EXPIRED).get(0).getNotAfter().toInstant().toString());
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameBody() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        receiver.failNext(1);
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/pay/").upstream("https://127.0.0.1:" + ClosedPort.find()).build())
                .alerts(alerts(receiver).build())
                .certificateExpiry((route, upstream) -> java.util.Optional.of(clock.instant()))
                .clock(clock)
                .start();
        Gateway gateway = gatewayOf(running);

        gateway.alerts().evaluateNow();

        JsonNode retried = delivery(receiver, 2);
        assertThat(receiver.received().get(0).answered()).isEqualTo(500);
        assertThat(receiver.received().get(1).answered()).isEqualTo(200);
        assertThat(receiver.received().get(1).body()).isEqualTo(receiver.received().get(0).body());
        JsonNode alert = onlyAlert(retried, "firing", Alert.CERTIFICATE_EXPIRING, "/pay/");
        assertThat(alert.get("labels").get("severity").asText()).as("an ended certificate").isEqualTo("critical");
        MeterRegistry registry = gateway.metrics().registry().orElseThrow();
        String webhook = receiver.url().replace("http://", "").replace("/hook", "");
        await().atMost(10, TimeUnit.SECONDS).until(() -> registry.find(MetricNames.ALERT_DELIVERIES)
                .tags(MetricNames.WEBHOOK, webhook, MetricNames.RESULT, "success").counter() != null);
        assertThat(registry.find(MetricNames.ALERT_DELIVERIES).tags(MetricNames.RESULT, "failure").counter())
                .as("a failed attempt that was retried is no failed delivery").isNull();
    }

    @Test
    void withoutAnAlertsSectionNoRuleRuns() throws Exception {
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/pay/").upstream("https://127.0.0.1:" + ClosedPort.find()).build())
                .certificateExpiry((route, upstream) -> java.util.Optional.of(clock.instant()))
                .clock(clock)
                .start();

        assertThat(gatewayOf(running).alerts().evaluateNow()).isEmpty();
        assertThat(gatewayOf(running).alerts().sendTest()).isEmpty();
    }

    @Test
    void aTurnedOffRuleDoesNotFire() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/pay/").upstream("https://127.0.0.1:" + ClosedPort.find()).build())
                .alerts(alerts(receiver).rules(AlertRulesConfig.builder().certificateExpiry(
                        io.gatewise.config.CertificateExpiryRuleConfig.builder().enabled(false).build()).build()).build())
                .certificateExpiry((route, upstream) -> java.util.Optional.of(clock.instant()))
                .clock(clock)
                .start();

        assertThat(gatewayOf(running).alerts().evaluateNow()).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void fingerprintsDependOnTheLabelsOnly() {
        assertThat(Alert.fingerprint(Map.of("alertname", "A", "route", "/x/")))
                .isEqualTo(Alert.fingerprint(new java.util.TreeMap<>(Map.of("route", "/x/", "alertname", "A"))))
                .isNotEqualTo(Alert.fingerprint(Map.of("alertname", "A", "route", "/y/")));
    }
}
