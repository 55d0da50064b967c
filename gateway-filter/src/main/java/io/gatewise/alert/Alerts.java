package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.config.AlertWebhookConfig;
import io.gatewise.config.AlertsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's alerts: the built-in rules, evaluated every {@code alerts.evaluationInterval} on a
 * daemon thread of their own, and the notifications of what fires to {@code alerts.webhooks}.
 *
 * <p>A rule's condition that holds is pending until it has held for the rule's {@code for}; then
 * the alert fires and is sent once, again every {@code alerts.repeatInterval} while it fires, and
 * as {@code resolved} (with how long it lasted) once its condition has been gone for that
 * {@code for} again. Times come from the gateway's clock. Each evaluation reads the configuration
 * in use, so a reload's rules and webhooks apply from the next one; alerts keep their state
 * across reloads. Without an {@code alerts} section no rule runs.
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final List<AlertRule> RULES = List.of(new RouteErrorRateRule(), new RouteDownRule(),
            new CertificateExpiryRule(), new ConfigReloadFailedRule());

    private final AlertInputs inputs;
    private final CertificateExpirySource certificates;
    private final WebhookDelivery delivery;
    /** Alerts pending or firing, by fingerprint; guarded by this. */
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;

    /** One alert between its condition's start and its resolution. */
    private static final class Tracked {
        final AlertRule rule;
        final Map<String, String> labels;
        final String fingerprint;
        final Instant activeSince;
        Map<String, String> annotations;
        Instant firedAt;
        Instant lastSent;
        Instant clearSince;

        Tracked(AlertRule rule, Candidate candidate, Instant now) {
            this.rule = rule;
            this.labels = candidate.labels();
            this.fingerprint = candidate.fingerprint();
            this.annotations = candidate.annotations();
            this.activeSince = now;
        }

        Alert firing() {
            return new Alert(Alert.FIRING, labels, annotations, firedAt, Optional.empty(), fingerprint);
        }
    }

    private Alerts(AlertInputs inputs, CertificateExpirySource certificates, WebhookDelivery delivery) {
        this.inputs = inputs;
        this.certificates = certificates;
        this.delivery = delivery;
    }

    /**
     * @param inputs what the rules read of the gateway (its routes, traffic and reloads), and the
     *     configuration, clock, name and meters the alerts use
     * @param certificates when upstream certificates end; {@link CertificateExpirySource#NONE}
     *     turns {@code GatewiseCertificateExpiring} into a rule that never fires
     * @return the alerts, not started: {@link #evaluateNow()} works, the schedule waits for {@link #start()}
     */
    public static Alerts create(AlertInputs inputs, CertificateExpirySource certificates) {
        return create(inputs, certificates, WebhookDelivery.DEFAULT_CAPACITY, WebhookDelivery.FIRST_BACKOFF);
    }

    /**
     * As {@link #create(AlertInputs, CertificateExpirySource)}, with a delivery queue and backoff of
     * the test's choosing.
     */
    static Alerts create(AlertInputs inputs, CertificateExpirySource certificates, int queueCapacity,
            Duration firstBackoff) {
        Objects.requireNonNull(inputs, "inputs");
        return new Alerts(inputs, Objects.requireNonNull(certificates, "certificates"),
                new WebhookDelivery(queueCapacity, firstBackoff, inputs.meterRegistry()));
    }

    /** Starts the evaluation schedule and the delivery thread; does nothing if they run. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        String name = inputs.name();
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gatewise-alert-evaluator-" + name);
            thread.setDaemon(true);
            return thread;
        });
        delivery.start(name);
        scheduleNext(scheduler);
    }

    /** Stops the schedule and the delivery thread; alerts keep their state for a later start. */
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
        delivery.stop();
    }

    private void scheduleNext(ScheduledExecutorService on) {
        Duration interval = inputs.config().alerts().map(AlertsConfig::evaluationInterval)
                .orElse(AlertsConfig.DEFAULT_EVALUATION_INTERVAL);
        try {
            on.schedule(() -> {
                try {
                    evaluateNow();
                } catch (RuntimeException e) {
                    LOG.error("Gateway {}: evaluating the alert rules failed", inputs.name(), e);
                }
                synchronized (this) {
                    if (scheduler == on) {
                        scheduleNext(on);
                    }
                }
            }, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // stopped meanwhile
        }
    }

    /**
     * Runs every rule now, as the schedule does, and queues the notifications that are due: new
     * alerts that fire, repeats, and resolutions. Returns without waiting for any webhook.
     *
     * @return what fires after this evaluation
     */
    public synchronized List<Alert> evaluateNow() {
        Instant now = inputs.clock().instant();
        Optional<AlertsConfig> config = inputs.config().alerts();
        AlertRulesConfig rules = config.map(AlertsConfig::rules).orElse(AlertRulesConfig.defaults());
        RuleContext context = new RuleContext(inputs, rules, now, certificates);
        Set<String> holding = new HashSet<>();
        if (config.isPresent()) {
            for (AlertRule rule : RULES) {
                if (!rule.enabled(rules)) {
                    continue;
                }
                for (Candidate candidate : rule.evaluate(context)) {
                    holding.add(candidate.fingerprint());
                    hold(rule, candidate, rules, config.get(), now);
                }
            }
        }
        for (Iterator<Tracked> it = tracked.values().iterator(); it.hasNext(); ) {
            Tracked alert = it.next();
            if (holding.contains(alert.fingerprint)) {
                continue;
            }
            if (alert.firedAt == null) {
                it.remove();
                continue;
            }
            if (alert.clearSince == null) {
                alert.clearSince = now;
            }
            Duration hold = config.isPresent() && alert.rule.enabled(rules) ? alert.rule.pendingFor(rules) : Duration.ZERO;
            if (Duration.between(alert.clearSince, now).compareTo(hold) >= 0) {
                it.remove();
                Map<String, String> annotations = new LinkedHashMap<>(alert.annotations);
                annotations.put("resolved_after", lasted(Duration.between(alert.firedAt, now)));
                Alert resolved = new Alert(Alert.RESOLVED, alert.labels, annotations, alert.firedAt,
                        Optional.of(now), alert.fingerprint);
                LOG.info("Gateway {}: alert {} {} resolved after {}", inputs.name(), resolved.name(),
                        resolved.labels(), annotations.get("resolved_after"));
                notify(resolved, config);
            }
        }
        return firing();
    }

    private void hold(AlertRule rule, Candidate candidate, AlertRulesConfig rules, AlertsConfig config, Instant now) {
        Tracked alert = tracked.computeIfAbsent(candidate.fingerprint(), key -> new Tracked(rule, candidate, now));
        alert.annotations = candidate.annotations();
        alert.clearSince = null;
        if (alert.firedAt == null) {
            if (Duration.between(alert.activeSince, now).compareTo(rule.pendingFor(rules)) >= 0) {
                alert.firedAt = now;
                alert.lastSent = now;
                LOG.warn("Gateway {}: alert {} {} fires: {}", inputs.name(), rule.name(), alert.labels,
                        alert.annotations.get("summary"));
                notify(alert.firing(), Optional.of(config));
            }
        } else if (Duration.between(alert.lastSent, now).compareTo(config.repeatInterval()) >= 0) {
            alert.lastSent = now;
            notify(alert.firing(), Optional.of(config));
        }
    }

    private void notify(Alert alert, Optional<AlertsConfig> config) {
        List<AlertWebhookConfig> webhooks = config.map(AlertsConfig::webhooks).orElse(List.of());
        if (!webhooks.isEmpty()) {
            byte[] body = AlertPayload.body(alert);
            webhooks.forEach(webhook -> delivery.send(webhook, body));
        }
    }

    /** @return the alerts that fire now, by name, then labels */
    public synchronized List<Alert> firing() {
        return tracked.values().stream().filter(alert -> alert.firedAt != null).map(Tracked::firing)
                .sorted(Comparator.comparing((Alert alert) -> alert.name())
                        .thenComparing(alert -> alert.labels().toString()))
                .toList();
    }

    /**
     * Sends a sample alert ({@code GatewiseTestAlert}, severity {@code info}) to each webhook, now
     * and once, without retries, and waits for the answers: to check the webhooks, their
     * secrets and the network path.
     *
     * @return each webhook's result, in configured order; empty without webhooks
     */
    public List<DeliveryResult> sendTest() {
        List<AlertWebhookConfig> webhooks = inputs.config().alerts().map(AlertsConfig::webhooks).orElse(List.of());
        if (webhooks.isEmpty()) {
            return List.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", Alert.TEST);
        labels.put("severity", "info");
        labels.put("instance", inputs.name());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "A test alert from the gateway " + inputs.name());
        annotations.put("description", "Sent by POST /admin/alerts/test to check that this webhook receives the"
                + " gateway's alerts. Nothing is wrong.");
        Alert test = new Alert(Alert.FIRING, labels, annotations, inputs.clock().instant(), Optional.empty(),
                Alert.fingerprint(labels));
        return delivery.sendNow(webhooks, AlertPayload.body(test));
    }

    /** @return notifications dropped because the delivery queue was full */
    public long deliveriesDropped() {
        return delivery.dropped();
    }

    /** @return how long an alert lasted, such as {@code 1h2m3s} or {@code 0s} */
    static String lasted(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        StringBuilder text = new StringBuilder();
        if (seconds >= 86_400) {
            text.append(seconds / 86_400).append('d');
        }
        if (seconds % 86_400 >= 3600) {
            text.append(seconds % 86_400 / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0 || text.length() == 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
