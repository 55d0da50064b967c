package io.gatewise.server;

import io.gatewise.config.ClientLimitsConfig;
import io.gatewise.config.Durations;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TracingConfig;
import io.gatewise.runtime.Gateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code gateway.warmup} runs when the standalone server starts, before its readiness turns
 * true: synthetic traffic through the gateway's own code on loopback, so that the JIT has compiled
 * the hot path before a load balancer sends the first real request.
 *
 * <p>It never touches the running gateway or its upstreams. It starts a <b>twin</b> of the gateway
 * on 127.0.0.1: the same classes, settings and error pages, but routes, meters, failure log and
 * threads of its own. Its routes go to a {@link WarmupUpstream} of its own and to a loopback port
 * held closed. A client then keeps {@value #LANES} requests in flight through the twin until the
 * time is up: mostly small GETs answered 200, some POSTs with a body, and one in five on an error
 * path (connection refused, answered as HTML, problem+json and plain text; a path no route
 * matches). Then the twin, its upstream and the client stop; what stays is the compiled code, which
 * the real gateway's requests run.
 *
 * <p>It is bounded: the run ends at its duration, or at once when the server stops meanwhile, and
 * a warm-up that cannot run (a port it cannot bind) is logged and skipped: readiness never waits
 * on it longer than its duration and a few seconds to stop.
 */
final class GatewayWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayWarmup.class);
    /** Requests kept in flight at once. */
    static final int LANES = 16;
    /** The twin's threads at most. */
    private static final int TWIN_THREADS = 32;
    /** One request's longest wait: a loopback exchange takes milliseconds. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** How long the lanes may take to finish their last requests after the time is up. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(5);
    private static final String WARM_ROUTE = "/warmup/";
    private static final String REFUSED_ROUTE = "/refused/";
    private static final byte[] POST_BODY = "w".repeat(1024).getBytes(StandardCharsets.US_ASCII);
    /** In every {@value}, how the requests go (the rest are small GETs). */
    private static final int MIX = 20;

    /**
     * What a warm-up did.
     *
     * @param requests how many requests got an answer
     * @param byStatus how many got each status
     * @param failed how many got no answer (the client's error, such as a timeout)
     * @param took how long it ran
     * @param error why it stopped before its time or did not run; null when it ran its time
     */
    record Outcome(long requests, Map<Integer, Long> byStatus, long failed, Duration took, String error) {
        @Override
        public String toString() {
            String statuses = byStatus.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "%,d request(s) in %.1f s (%s%s)", requests, took.toMillis() / 1000.0,
                    statuses.isEmpty() ? "none answered" : statuses, failed > 0 ? ", " + failed + " without answer" : "");
        }
    }

    private GatewayWarmup() {
    }

    /**
     * Runs a warm-up of a gateway and logs what it did.
     *
     * @param config the running gateway's configuration, which the twin copies
     * @param duration how long to send
     * @return what it did
     */
    static Outcome run(GatewayConfig config, Duration duration) {
        long start = System.nanoTime();
        LOG.info("Warming up for {} through a twin of the gateway on loopback before turning ready",
                Durations.format(duration));
        Outcome outcome;
        try {
            outcome = send(config, duration, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(0, Map.of(), 0, Duration.ofNanos(System.nanoTime() - start), "interrupted");
        } catch (Exception e) {
            outcome = new Outcome(0, Map.of(), 0, Duration.ofNanos(System.nanoTime() - start), String.valueOf(e));
        }
        if (outcome.error() == null) {
            LOG.info("Warm-up done: {}", outcome);
        } else {
            LOG.warn("Warm-up stopped early, the gateway turns ready without it: {}; {}", outcome.error(), outcome);
        }
        return outcome;
    }

    private static Outcome send(GatewayConfig config, Duration duration, long start) throws Exception {
        try (WarmupUpstream upstream = WarmupUpstream.start(); Socket refused = closedPort()) {
            LongAdder failures = new LongAdder();
            Gateway twinGateway = Gateway.builder(twin(config, upstream.port(), refused.getLocalPort()))
                    .failureLog(line -> failures.increment()).build();
            GatewayServer twin = GatewayServer.builder(twinGateway).host("127.0.0.1").port(0).maxThreads(TWIN_THREADS)
                    .stopAtShutdown(false).accessLog(line -> { }).build();
            HttpClient client = new HttpClient();
            QueuedThreadPool clientThreads = new QueuedThreadPool(LANES);
            clientThreads.setName("gatewise-warmup-client");
            clientThreads.setDaemon(true);
            client.setExecutor(clientThreads);
            client.setMaxConnectionsPerDestination(LANES);
            client.setFollowRedirects(false);
            try {
                twin.start();
                client.start();
                return drive(client, URI.create("http://127.0.0.1:" + twin.port()), System.nanoTime() + duration.toNanos(),
                        start);
            } finally {
                stopQuietly(client);
                stopQuietly(twin);
            }
        }
    }

    /**
     * @return the twin's configuration: the running one's settings and error pages, on loopback,
     *     without admin listener, alerts, tracing, access log or config watching, with two routes
     *     of its own: {@value #WARM_ROUTE} to the warm-up's upstream, {@value #REFUSED_ROUTE} to a
     *     port held closed (ejection off, so that each request takes the connect-refused path)
     */
    static GatewayConfig twin(GatewayConfig config, int upstreamPort, int refusedPort) {
        ServerConfig gateway = config.gateway().toBuilder().host("127.0.0.1").port(0).accessLog(null)
                .watchConfig(false).shutdownDelay(Duration.ZERO).shutdownTimeout(Duration.ofSeconds(1)).tls(null)
                .prohibitedAddresses(List.of()).limits(ClientLimitsConfig.defaults()).warmup(Duration.ZERO).build();
        return GatewayConfig.builder().gateway(gateway).errorPages(config.errorPages()).tracing(TracingConfig.defaults())
                .route(RouteConfig.builder().path(WARM_ROUTE).upstream("http://127.0.0.1:" + upstreamPort).build())
                .route(RouteConfig.builder().path(REFUSED_ROUTE).upstream("http://127.0.0.1:" + refusedPort)
                        .ejection(EjectionConfig.builder().consecutiveFailures(0).build()).build())
                .build();
    }

    /**
     * @return a socket bound on loopback and not listening: a connection to its port is refused,
     *     and no other process can take the port while it is held
     */
    private static Socket closedPort() throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private static Outcome drive(HttpClient client, URI twin, long deadline, long start) throws InterruptedException {
        Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        LongAdder failed = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        CountDownLatch lanes = new CountDownLatch(LANES);
        for (int lane = 0; lane < LANES; lane++) {
            next(client, twin, deadline, sequence, byStatus, failed, lanes);
        }
        long wait = deadline - System.nanoTime() + FINISH_GRACE.toNanos();
        boolean finished = lanes.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
        Map<Integer, Long> counts = new TreeMap<>();
        byStatus.forEach((status, count) -> counts.put(status, count.sum()));
        long answered = counts.values().stream().mapToLong(Long::longValue).sum();
        return new Outcome(answered, counts, failed.sum(), Duration.ofNanos(System.nanoTime() - start),
                finished ? null : "requests still unanswered " + FINISH_GRACE.toSeconds() + " s after the time was up");
    }

    /** Sends the lane's next request, or ends the lane when the time is up. */
    private static void next(HttpClient client, URI twin, long deadline, AtomicLong sequence,
            Map<Integer, LongAdder> byStatus, LongAdder failed, CountDownLatch lanes) {
        if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
            lanes.countDown();
            return;
        }
        request(client, twin, sequence.getAndIncrement()).send(new BufferingResponseListener() {
            @Override
            public void onComplete(Result result) {
                if (result.isFailed()) {
                    failed.increment();
                } else {
                    byStatus.computeIfAbsent(result.getResponse().getStatus(), status -> new LongAdder()).increment();
                }
                next(client, twin, deadline, sequence, byStatus, failed, lanes);
            }
        });
    }

    /** @return the request of that number in the mix */
    static Request request(HttpClient client, URI twin, long number) {
        Request request = client.newRequest(twin).timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return switch ((int) (number % MIX)) {
            case 0 -> request.path(REFUSED_ROUTE + "page").headers(h -> h.put(HttpHeader.ACCEPT, "text/html"));
            case 1 -> request.path(REFUSED_ROUTE + "api").headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
            case 2 -> request.path(REFUSED_ROUTE + "curl").headers(h -> h.put(HttpHeader.ACCEPT, "*/*"));
            case 3 -> request.path("/nowhere/" + number);
            case 4 -> request.path(WARM_ROUTE + "echo").method("POST")
                    .body(new BytesRequestContent("text/plain", POST_BODY));
            default -> request.path(WARM_ROUTE + "item?id=" + number);
        };
    }

    private static void stopQuietly(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.debug("Warm-up client did not stop cleanly", e);
        }
    }

    private static void stopQuietly(GatewayServer twin) {
        try {
            twin.stop();
        } catch (Exception e) {
            LOG.debug("Warm-up twin did not stop cleanly", e);
        }
    }
}
