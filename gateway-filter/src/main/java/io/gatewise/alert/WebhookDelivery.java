package io.gatewise.alert;

import io.gatewise.config.AlertWebhookConfig;
import io.gatewise.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts notifications to webhooks on a thread of its own, so neither requests nor the rule
 * evaluator ever wait for a receiver. Notifications wait in a bounded queue; when it is full the
 * oldest is dropped and counted. A failed attempt (no answer, or not 2xx) is tried again after a
 * backoff that doubles each time, up to {@link #MAX_ATTEMPTS} attempts. Outcomes are counted in
 * {@link MetricNames#ALERT_DELIVERIES}; failures are logged at most once a minute per webhook.
 */
final class WebhookDelivery {
    /** The header with the body's HMAC-SHA256. */
    static final String SIGNATURE_HEADER = "X-Gatewise-Signature";
    /** Default queue capacity. */
    static final int DEFAULT_CAPACITY = 256;
    /** Attempts per notification. */
    static final int MAX_ATTEMPTS = 5;
    /** The first backoff; each next one doubles, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final int capacity;
    private final Duration firstBackoff;
    private final Optional<MeterRegistry> registry;
    // HTTP/1.1: no h2c upgrade headers on a POST, which some receivers refuse.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** Waiting notifications, oldest first; guarded by this. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<String, LogLimit> logLimits = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private long sequence;
    private Thread thread;

    /** One notification to one webhook, with its attempts so far. */
    private static final class Pending {
        final AlertWebhookConfig webhook;
        final byte[] body;
        final long sequence;
        int attempts;
        long dueNanos;

        Pending(AlertWebhookConfig webhook, byte[] body, long sequence) {
            this.webhook = webhook;
            this.body = body;
            this.sequence = sequence;
        }
    }

    /** When a webhook's failures were last logged, and how many were not since. */
    private static final class LogLimit {
        long lastNanos = System.nanoTime() - LOG_EVERY_NANOS;
        long suppressed;
    }

    /**
     * @param capacity how many notifications may wait
     * @param firstBackoff the wait before the second attempt
     * @param registry where outcomes are counted; empty for nowhere
     */
    WebhookDelivery(int capacity, Duration firstBackoff, Optional<MeterRegistry> registry) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.firstBackoff = firstBackoff;
        this.registry = registry;
    }

    /** Starts the delivery thread, a daemon named after the gateway. */
    synchronized void start(String name) {
        if (thread == null) {
            thread = new Thread(this::run, "gatewise-alert-delivery-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the delivery thread; what still waits stays queued for the next start. */
    void stop() {
        Thread stopping;
        synchronized (this) {
            stopping = thread;
            thread = null;
            notifyAll();
        }
        if (stopping != null) {
            stopping.interrupt();
            try {
                stopping.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Queues a notification; returns at once. If the queue is full, the oldest waiting one goes.
     *
     * @param webhook where to post it
     * @param body the JSON body
     */
    void send(AlertWebhookConfig webhook, byte[] body) {
        Pending oldest = null;
        synchronized (this) {
            if (queue.size() >= capacity) {
                oldest = queue.stream().min((a, b) -> Long.compare(a.sequence, b.sequence)).orElseThrow();
                queue.remove(oldest);
            }
            Pending pending = new Pending(webhook, body, sequence++);
            pending.dueNanos = System.nanoTime();
            queue.add(pending);
            notifyAll();
        }
        if (oldest != null) {
            dropped.incrementAndGet();
            count(oldest.webhook, "dropped");
            failed(oldest.webhook, "the delivery queue is full (" + capacity + "); the oldest notification was"
                    + " dropped");
        }
    }

    /** @return how many notifications were dropped from a full queue */
    long dropped() {
        return dropped.get();
    }

    /** @return how many notifications wait */
    synchronized int waiting() {
        return queue.size();
    }

    /**
     * Posts to each webhook once, now, without retries, waiting for all the answers: for the test
     * action.
     *
     * @param webhooks where to post
     * @param body the JSON body
     * @return each delivery's result, in the webhooks' order
     */
    List<DeliveryResult> sendNow(List<AlertWebhookConfig> webhooks, byte[] body) {
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>();
        for (AlertWebhookConfig webhook : webhooks) {
            results.add(http.sendAsync(request(webhook, body), HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        DeliveryResult result = result(webhook, response, error);
                        count(webhook, result.success() ? "success" : "failure");
                        return result;
                    }));
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    private void run() {
        while (true) {
            Pending next;
            synchronized (this) {
                if (thread != Thread.currentThread()) {
                    return;
                }
                next = due();
                if (next == null) {
                    try {
                        waitForDue();
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            attempt(next);
        }
    }

    /** @return the waiting notification that is due first, removed from the queue, if it is due now */
    private Pending due() {
        Pending first = null;
        for (Pending pending : queue) {
            if (first == null || pending.dueNanos - first.dueNanos < 0) {
                first = pending;
            }
        }
        if (first == null || first.dueNanos - System.nanoTime() > 0) {
            return null;
        }
        queue.remove(first);
        return first;
    }

    private void waitForDue() throws InterruptedException {
        long wait = Long.MAX_VALUE;
        for (Pending pending : queue) {
            wait = Math.min(wait, pending.dueNanos - System.nanoTime());
        }
        if (wait == Long.MAX_VALUE) {
            wait();
        } else if (wait > 0) {
            wait(Math.max(1, wait / 1_000_000));
        }
    }

    private void attempt(Pending pending) {
        pending.attempts++;
        HttpResponse<Void> response = null;
        Throwable error = null;
        try {
            response = http.send(request(pending.webhook, pending.body), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            error = e;
        } catch (InterruptedException e) {
            requeue(pending, 0);
            Thread.currentThread().interrupt();
            return;
        }
        DeliveryResult result = result(pending.webhook, response, error);
        if (result.success()) {
            count(pending.webhook, "success");
            return;
        }
        if (pending.attempts >= MAX_ATTEMPTS) {
            count(pending.webhook, "failure");
            failed(pending.webhook, result.error().orElse("failed") + " (attempt " + pending.attempts + " of "
                    + MAX_ATTEMPTS + "; giving up on this notification)");
            return;
        }
        long backoff = Math.min(MAX_BACKOFF.toNanos(), firstBackoff.toNanos() << (pending.attempts - 1));
        failed(pending.webhook, result.error().orElse("failed") + " (attempt " + pending.attempts + " of "
                + MAX_ATTEMPTS + "; next in " + Duration.ofNanos(backoff).toMillis() + " ms)");
        requeue(pending, backoff);
    }

    private synchronized void requeue(Pending pending, long backoffNanos) {
        if (queue.size() >= capacity) {
            // Newer notifications filled the queue meanwhile: this one is the oldest.
            dropped.incrementAndGet();
            count(pending.webhook, "dropped");
            return;
        }
        pending.dueNanos = System.nanoTime() + backoffNanos;
        queue.add(pending);
    }

    private static DeliveryResult result(AlertWebhookConfig webhook, HttpResponse<Void> response, Throwable error) {
        if (response != null) {
            int status = response.statusCode();
            boolean success = status >= 200 && status < 300;
            return new DeliveryResult(webhook.label(), success, Optional.of(status),
                    success ? Optional.empty() : Optional.of("status " + status));
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return new DeliveryResult(webhook.label(), false, Optional.empty(),
                Optional.of(cause == null ? "no answer" : cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
    }

    private static HttpRequest request(AlertWebhookConfig webhook, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Gatewise-Alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        webhook.secret().ifPresent(secret -> request.header(SIGNATURE_HEADER, signature(secret, body)));
        return request.build();
    }

    /**
     * @param secret the webhook's secret
     * @param body the body
     * @return {@code sha256=} and the lower-case hex of the body's HMAC-SHA256 with that secret
     */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private void count(AlertWebhookConfig webhook, String result) {
        registry.ifPresent(meters -> Counter.builder(MetricNames.ALERT_DELIVERIES)
                .description("Alert notifications to webhooks, by result")
                .tags(MetricNames.WEBHOOK, webhook.label(), MetricNames.RESULT, result)
                .register(meters).increment());
    }

    /** Logs a failed delivery, at most once a minute per webhook, with how many were not logged. */
    private void failed(AlertWebhookConfig webhook, String what) {
        LogLimit limit = logLimits.computeIfAbsent(webhook.label(), key -> new LogLimit());
        long suppressed;
        synchronized (limit) {
            long now = System.nanoTime();
            if (now - limit.lastNanos < LOG_EVERY_NANOS) {
                limit.suppressed++;
                return;
            }
            suppressed = limit.suppressed;
            limit.suppressed = 0;
            limit.lastNanos = now;
        }
        LOG.warn("Alert delivery to {} failed: {}{}", webhook.label(), what,
                suppressed == 0 ? "" : "; " + suppressed + " more failure(s) not logged in the last minute");
    }
}
