package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.AlertWebhookConfig;
import io.gatewise.config.AlertsConfig;
import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /admin/alerts} and {@code POST /admin/alerts/test} on a real gateway's admin listener,
 * with a route whose only upstream is a refused loopback port and a real webhook receiver.
 */
class AdminAlertsTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private RunningGateway gateway(WebhookReceiver... receivers) throws Exception {
        AlertsConfig.Builder alerts = AlertsConfig.builder().evaluationInterval(Duration.ofHours(1));
        for (WebhookReceiver receiver : receivers) {
            alerts.webhook(AlertWebhookConfig.builder().url(receiver.url()).secret("admin-test-secret-0123").build());
        }
        return gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + ClosedPort.find())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofHours(1))
                                .unhealthyThreshold(1).build()).build())
                .admin(AdminConfig.builder().port(0).token(AdminApiTest.TOKEN).build())
                .alerts(alerts.build())
                .start();
    }

    private HttpResponse<String> admin(RunningGateway gateway, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void alertsListsWhatFiresNowWithLabelsAnnotationsAndStart() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        RunningGateway gateway = gateway(receiver);
        assertThat(json.readTree(admin(gateway, "GET", "/admin/alerts", AdminApiTest.TOKEN).body())
                .get("alerts")).isEmpty();
        gateway.server().gateway().checkHealthNow().get(10, TimeUnit.SECONDS);
        gateway.server().gateway().alerts().evaluateNow();

        HttpResponse<String> response = admin(gateway, "GET", "/admin/alerts", AdminApiTest.TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode alert = json.readTree(response.body()).get("alerts").get(0);
        assertThat(alert.get("status").asText()).isEqualTo("firing");
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("GatewiseRouteDown");
        assertThat(alert.get("labels").get("route").asText()).isEqualTo("/api/");
        assertThat(alert.get("annotations").get("description").asText()).contains("unhealthy (connection_refused)");
        assertThat(alert.get("startsAt").isTextual()).isTrue();
        assertThat(admin(gateway, "GET", "/admin/alerts", null).statusCode()).as("the token is required")
                .isEqualTo(401);
        assertThat(admin(gateway, "POST", "/admin/alerts", AdminApiTest.TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void theTestActionSendsASampleAlertToEachWebhookAndReportsEachResult() throws Exception {
        WebhookReceiver working = gateways.webhookReceiver();
        WebhookReceiver failing = gateways.webhookReceiver();
        failing.failNext(1);
        RunningGateway gateway = gateway(working, failing);

        HttpResponse<String> response = admin(gateway, "POST", "/admin/alerts/test", AdminApiTest.TOKEN);

        assertThat(response.statusCode()).as("one webhook failed").isEqualTo(422);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("result").asText()).isEqualTo("failure");
        assertThat(answer.get("error").asText()).isEqualTo("1 of 2 webhook(s) failed");
        JsonNode first = answer.get("deliveries").get(0);
        assertThat(first.get("webhook").asText()).isEqualTo(working.url().replace("http://", "").replace("/hook", ""));
        assertThat(first.get("result").asText()).isEqualTo("success");
        assertThat(first.get("status").asInt()).isEqualTo(200);
        JsonNode second = answer.get("deliveries").get(1);
        assertThat(second.get("result").asText()).isEqualTo("failure");
        assertThat(second.get("error").asText()).isEqualTo("status 500");
        assertThat(response.body()).as("no secret in the answer").doesNotContain("admin-test-secret");
        await().atMost(10, TimeUnit.SECONDS).until(() -> working.received().size() == 1);
        JsonNode sample = json.readTree(working.received().get(0).body());
        assertThat(sample.get("version").asText()).isEqualTo("4");
        assertThat(sample.get("alerts").get(0).get("labels").get("alertname").asText()).isEqualTo("GatewiseTestAlert");
        assertThat(working.received().get(0).headers()).containsKey("x-gatewise-signature");

        HttpResponse<String> again = admin(gateway, "POST", "/admin/alerts/test", AdminApiTest.TOKEN);
        assertThat(again.statusCode()).as("both answer now").isEqualTo(200);
        assertThat(json.readTree(again.body()).get("result").asText()).isEqualTo("success");
    }
}
