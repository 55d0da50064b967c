package io.gatewise.bench.soak;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Steady load on the soak's routes from a few client threads, each on its own seeded random
 * sequence: GETs and POSTs with bodies on keep-alive connections, streams, requests on new
 * connections, requests to a route that goes in and out of maintenance. Each answer is counted by
 * minute, status and {@code Proxy-Status} error type; an idempotent request that failed (however,
 * outside a maintenance window) is a request lost although a healthy upstream was there to take it.
 */
final class SoakLoad {
    /** How long a client waits for an answer: past every timeout of the gateway, so a wait this long is a hang. */
    static final long REQUEST_TIMEOUT_SECONDS = 30;

    /** What one minute of load saw. */
    static final class Minute {
        final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byErrorType = new ConcurrentHashMap<>();
        final LongAdder requests = new LongAdder();
        final LongAdder lostIdempotent = new LongAdder();
        final LongAdder failedPosts = new LongAdder();
        final LongAdder hung = new LongAdder();
        final LongAdder maintenanceAnswers = new LongAdder();

        Map<String, Long> statuses() {
            Map<String, Long> copy = new TreeMap<>();
            byStatus.forEach((status, count) -> copy.put(status, count.sum()));
            return copy;
        }

        Map<String, Long> errorTypes() {
            Map<String, Long> copy = new TreeMap<>();
            byErrorType.forEach((type, count) -> copy.put(type, count.sum()));
            return copy;
        }
    }

    private final HttpClient client;
    private final int port;
    private final long startNanos;
    private final Map<Integer, Minute> minutes = new ConcurrentHashMap<>();
    private final FaultScript.Windows maintenance;
    private final Map<String, LongAdder> lostSamples = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    SoakLoad(HttpClient client, int port, long startNanos, FaultScript.Windows maintenance) {
        this.client = client;
        this.port = port;
        this.startNanos = startNanos;
        this.maintenance = maintenance;
    }

    /** @return one client's loop, on its own seed */
    Runnable client(long seed) {
        return () -> {
            Random random = new Random(seed);
            long i = 0;
            while (running) {
                send(random, i++);
            }
        };
    }

    void stop() {
        running = false;
    }

    Map<Integer, Minute> minutes() {
        return minutes;
    }

    /** @return a few of the lost requests' descriptions, for the report */
    Map<String, Long> lostSamples() {
        Map<String, Long> copy = new TreeMap<>();
        lostSamples.forEach((what, count) -> copy.put(what, count.sum()));
        return copy;
    }

    private void send(Random random, long i) {
        int pick = random.nextInt(100);
        String path;
        HttpMethod method = HttpMethod.GET;
        byte[] body = null;
        boolean newConnection = false;
        if (pick < 40) {
            path = "/api/items/" + i;
        } else if (pick < 60) {
            path = "/api/orders";
            method = HttpMethod.POST;
            body = new byte[256 + random.nextInt(4096)];
            random.nextBytes(body);
        } else if (pick < 70) {
            path = "/stream/feed";
        } else if (pick < 85) {
            path = "/flaky/x/" + i;
        } else if (pick < 92) {
            path = "/maint/x";
        } else {
            path = "/api/fresh/" + i;
            newConnection = true;
        }
        Request request = client.newRequest("127.0.0.1", port).path(path).method(method)
                .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (body != null) {
            request.body(new BytesRequestContent("application/octet-stream", body));
        }
        if (newConnection) {
            request.headers(headers -> headers.put(HttpHeader.CONNECTION, "close"));
        }
        long sentNanos = System.nanoTime();
        Minute minute = minutes.computeIfAbsent(minuteOf(sentNanos), m -> new Minute());
        minute.requests.increment();
        String outcome;
        String errorType = null;
        try {
            ContentResponse response = request.send();
            outcome = Integer.toString(response.getStatus());
            String proxyStatus = response.getHeaders().get("Proxy-Status");
            if (proxyStatus != null && proxyStatus.contains("error=")) {
                errorType = proxyStatus.replaceAll(".*error=([a-z_0-9]+).*", "$1");
            }
            if (response.getStatus() < 400) {
                minute.byStatus.computeIfAbsent(outcome, s -> new LongAdder()).increment();
                return;
            }
        } catch (java.util.concurrent.ExecutionException e) {
            outcome = e.getCause() instanceof TimeoutException ? "hung" : "transport:" + e.getCause().getClass()
                    .getSimpleName();
        } catch (TimeoutException e) {
            outcome = "hung";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        minute.byStatus.computeIfAbsent(outcome, s -> new LongAdder()).increment();
        if (errorType != null) {
            minute.byErrorType.computeIfAbsent(errorType, s -> new LongAdder()).increment();
        }
        if (outcome.equals("hung")) {
            minute.hung.increment();
        }
        if (path.startsWith("/maint/") && maintenance.overlaps(sentNanos, System.nanoTime())) {
            minute.maintenanceAnswers.increment();
        } else if (method == HttpMethod.POST) {
            minute.failedPosts.increment();
        } else {
            minute.lostIdempotent.increment();
            lostSamples.computeIfAbsent(path.replaceAll("/[0-9]+$", "/N") + " " + outcome
                    + (errorType == null ? "" : " " + errorType), k -> new LongAdder()).increment();
        }
    }

    private int minuteOf(long nanos) {
        return (int) TimeUnit.NANOSECONDS.toMinutes(nanos - startNanos);
    }
}
