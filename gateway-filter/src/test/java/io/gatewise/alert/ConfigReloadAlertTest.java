package io.gatewise.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.faults.ClosedPort;
import io.gatewise.runtime.Gateway;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GatewiseConfigReloadFailed} with the configuration read from a real file: a refused
 * reload fires with the located error, the next good one resolves it; and a reload's alert
 * settings apply from the next evaluation.
 */
class ConfigReloadAlertTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final ObjectMapper json = new ObjectMapper();

    private static String config(String hook, String routeDown) {
        return "gateway: { name: " + RunningGateway.NAME + ", host: 127.0.0.1, port: 0 }\n"
                + "routes:\n  - path: /api/\n    upstreams: [ { url: 'http://127.0.0.1:" + 9 + "' } ]\n"
                + "alerts:\n  webhooks: [ { url: '" + hook + "' } ]\n  evaluationInterval: 1h\n"
                + "  rules:\n    routeDown: " + routeDown + "\n";
    }

    @Test
    void aRefusedReloadFiresWithTheLocatedErrorAndTheNextGoodOneResolvesIt() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        Path file = dir.resolve("gateway.yaml");
        String good = config(receiver.url(), "{ for: 0s }");
        Files.writeString(file, good);
        RunningGateway running = gateways.builder().configFile(file).clock(clock).start();
        Gateway gateway = running.server().gateway();
        assertThat(gateway.alerts().evaluateNow()).isEmpty();

        Files.writeString(file, good + "    routeErrorRate: { window: 1h }\n");
        assertThat(gateway.reloadFromSource().success()).isFalse();
        gateway.alerts().evaluateNow();

        await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
        JsonNode fired = json.readTree(receiver.received().get(0).body());
        assertThat(fired.get("status").asText()).isEqualTo("firing");
        assertThat(fired.get("groupKey").asText()).isEqualTo("{}:{alertname=\"GatewiseConfigReloadFailed\"}");
        JsonNode alert = fired.get("alerts").get(0);
        assertThat(alert.get("labels").size()).as("alertname, severity, instance: no route").isEqualTo(3);
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("warning");
        assertThat(alert.get("annotations").get("description").asText())
                .contains("alerts.rules.routeErrorRate.window: 1h (expected: from 10s to 5m")
                .contains(file.toString() + ":");

        clock.advance(Duration.ofMinutes(3));
        Files.writeString(file, good);
        assertThat(gateway.reloadFromSource().success()).isTrue();
        gateway.alerts().evaluateNow();

        await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.received().size() == 2);
        JsonNode resolved = json.readTree(receiver.received().get(1).body());
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("alerts").get(0).get("annotations").get("resolved_after").asText()).isEqualTo("3m");
    }

    @Test
    void aReloadMovesAlertsToItsNewWebhook() throws Exception {
        WebhookReceiver before = gateways.webhookReceiver();
        WebhookReceiver after = gateways.webhookReceiver();
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, config(before.url(), "{ enabled: false }").replace("127.0.0.1:9'",
                "127.0.0.1:" + ClosedPort.find() + "'"));
        RunningGateway running = gateways.builder().configFile(file).clock(clock).start();
        Gateway gateway = running.server().gateway();

        Files.writeString(file, config(after.url(), "{ enabled: false }") + "  repeatInterval: 1x\n");
        gateway.reloadFromSource();
        gateway.alerts().evaluateNow();
        await().atMost(10, TimeUnit.SECONDS).until(() -> before.received().size() == 1);

        Files.writeString(file, config(after.url(), "{ enabled: false }"));
        assertThat(gateway.reloadFromSource().success()).isTrue();
        gateway.alerts().evaluateNow();

        await().atMost(10, TimeUnit.SECONDS).until(() -> after.received().size() == 1);
        assertThat(json.readTree(after.received().get(0).body()).get("status").asText()).isEqualTo("resolved");
        assertThat(before.received()).hasSize(1);
    }
}
