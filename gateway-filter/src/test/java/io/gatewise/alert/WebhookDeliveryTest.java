package io.gatewise.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.AlertWebhookConfig;
import io.gatewise.metrics.MetricNames;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The delivery queue on its own: bounded, the oldest dropped and counted, the rest delivered in order. */
class WebhookDeliveryTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WebhookDelivery delivery = new WebhookDelivery(2, Duration.ofMillis(100), Optional.of(registry));

    @AfterEach
    void stop() {
        delivery.stop();
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsIt() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        AlertWebhookConfig webhook = AlertWebhookConfig.builder().url(receiver.url()).build();
        // Not started yet: everything waits in the queue.
        for (String body : new String[] {"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"}) {
            delivery.send(webhook, body.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(delivery.dropped()).isEqualTo(1);
        assertThat(delivery.waiting()).isEqualTo(2);
        String label = webhook.label();
        assertThat(registry.get(MetricNames.ALERT_DELIVERIES).tags(MetricNames.WEBHOOK, label, MetricNames.RESULT,
                "dropped").counter().count()).isEqualTo(1);

        delivery.start("test");

        await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::body)
                .containsExactly("{\"n\":2}", "{\"n\":3}");
        assertThat(receiver.received().get(0).headers()).as("no secret, no signature")
                .doesNotContainKey("x-gatewise-signature");
        await().atMost(10, TimeUnit.SECONDS).until(() -> registry.find(MetricNames.ALERT_DELIVERIES)
                .tags(MetricNames.RESULT, "success").counter() != null
                && registry.get(MetricNames.ALERT_DELIVERIES).tags(MetricNames.RESULT, "success").counter().count() == 2);
    }

    @Test
    void aWebhookThatNeverAnswersWellIsGivenUpAfterTheLastAttemptAndCounted() throws Exception {
        WebhookReceiver receiver = gateways.webhookReceiver();
        receiver.failNext(WebhookDelivery.MAX_ATTEMPTS);
        AlertWebhookConfig webhook = AlertWebhookConfig.builder().url(receiver.url()).build();
        delivery.start("test");

        delivery.send(webhook, "{}".getBytes(StandardCharsets.UTF_8));

        // Backoffs of 100, 200, 400 and 800 ms: well within the wait.
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.find(MetricNames.ALERT_DELIVERIES)
                .tags(MetricNames.RESULT, "failure").counter() != null);
        assertThat(receiver.received()).hasSize(WebhookDelivery.MAX_ATTEMPTS);
        assertThat(registry.get(MetricNames.ALERT_DELIVERIES).tags(MetricNames.WEBHOOK, webhook.label(),
                MetricNames.RESULT, "failure").counter().count()).isEqualTo(1);
    }
}
