package io.gatewise.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TracingConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.OtlpReceiver;
import io.gatewise.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's own exporter against a real OTLP/HTTP receiver on 127.0.0.1: what it sends, that
 * requests never wait on a slow or absent collector, that every span it loses is counted in
 * {@code gatewise_tracing_spans_dropped_total}, and that sampling follows the ratio and the
 * client's {@code traceparent}.
 *
 * <p>The {@code otel.*} system properties set here (a short batch delay, a short export timeout)
 * are read by the SDK as the gateway starts, and are cleared again before each test ends.
 */
class TracingExportTest {
    private static final String TOKEN = "tracing-admin-token-0123";
    /** A key with what a list of key=value pairs and percent-decoding would each mangle: kept as it is. */
    private static final String API_KEY = "k3y+/for=the,collector%20 7781==";
    private static final String SERVICE = "edge-export-test";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern DROPPED = Pattern.compile(
            "^gatewise_tracing_spans_dropped_total(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Batches go out 200 ms after the first span, not the default 5 s; a failed export is not
     * retried (with backoff, for seconds), so its spans count as lost at once.
     */
    private static Map<String, String> fastBatches() {
        return Map.of("otel.bsp.schedule.delay", "200", "otel.java.exporter.otlp.retry.disabled", "true");
    }

    /** Sets system properties; {@link #restore} puts back what they were. */
    private static Map<String, String> set(Map<String, String> properties) {
        Map<String, String> before = new HashMap<>();
        properties.forEach((key, value) -> before.put(key, System.setProperty(key, value)));
        return before;
    }

    private static void restore(Map<String, String> before) {
        before.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    private RunningGateway gateway(JettyUpstream upstream, TracingConfig.Builder tracing) throws Exception {
        return gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream(upstream.url()).build())
                .tracing(tracing.enabled(true).build())
                .admin(AdminConfig.builder().port(0).token(TOKEN).build())
                .start();
    }

    /** @return {@code gatewise_tracing_spans_dropped_total} as {@code GET /metrics} shows it */
    private long droppedSpans(RunningGateway gateway) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        Matcher matcher = DROPPED.matcher(response.body());
        assertThat(matcher.find()).as("gatewise_tracing_spans_dropped_total in\n%s", response.body()).isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros, which W3C calls invalid
        return HexFormat.of().formatHex(random);
    }

    /** @return the one {@code traceparent} the upstream received for this answer */
    private static String upstreamTraceparent(ContentResponse response) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        List<String> values = EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "traceparent");
        assertThat(values).as("the upstream's traceparent").hasSize(1);
        return values.get(0);
    }

    private static String traceIdOf(String traceparent) {
        return traceparent.split("-")[1];
    }

    /** @return whether a {@code traceparent}'s flags say sampled (bit 0; bit 1 may say the id is random) */
    private static boolean sampled(String traceparent) {
        return (Integer.parseInt(traceparent.split("-")[3], 16) & 1) == 1;
    }

    @Test
    void spansReachTheCollectorAsProtobufWithTheHeadersTheServiceAndTheRoute() throws Exception {
        // What the section names wins over otel.* (a refusing endpoint, another name); the rest is theirs.
        Map<String, String> properties = new HashMap<>(fastBatches());
        properties.put("otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + ClosedPort.find() + "/v1/traces");
        properties.put("otel.service.name", "name-from-properties");
        properties.put("otel.resource.attributes", "deployment.environment.name=env-from-properties");
        Map<String, String> before = set(properties);
        try {
            JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
            OtlpReceiver receiver = gateways.otlpReceiver();
            RunningGateway gateway = gateway(upstream, TracingConfig.builder().endpoint(receiver.url())
                    .serviceName(SERVICE).headers(Map.of("x-api-key", API_KEY)));

            String clientTrace = randomHex(16);
            String clientSpan = randomHex(8);
            String forwarded = upstreamTraceparent(gateway.get("/api/first",
                    headers -> headers.put("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01")));
            assertThat(forwarded).as("the upstream is in the client's trace, a child of the gateway's span")
                    .matches("00-" + clientTrace + "-[0-9a-f]{16}-[0-9a-f]{2}")
                    .doesNotContain(clientSpan);
            assertThat(sampled(forwarded)).as("sampled, as the client said").isTrue();
            List<String> traces = new ArrayList<>(List.of(clientTrace));
            for (int i = 0; i < 3; i++) {
                traces.add(traceIdOf(upstreamTraceparent(gateway.get("/api/more/" + i))));
            }
            assertThat(traces).as("a new trace for each request without traceparent").doesNotHaveDuplicates();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(traces).allMatch(receiver::receivedTrace));

            List<OtlpReceiver.Export> exports = receiver.exports();
            assertThat(exports).allSatisfy(export -> {
                assertThat(export.method()).isEqualTo("POST");
                assertThat(export.path()).isEqualTo("/v1/traces");
                assertThat(export.headers().get("content-type")).isEqualTo("application/x-protobuf");
                assertThat(export.headers().get("x-api-key")).isEqualTo(API_KEY);
            });
            OtlpReceiver.Export first = exports.stream().filter(export -> export.contains(
                    HexFormat.of().parseHex(clientTrace))).findFirst().orElseThrow();
            for (String text : List.of("service.name", SERVICE, "http.route", "/api/", "url.full",
                    upstream.url(), "http.request.method", "http.response.status_code", "/api/first")) {
                assertThat(first.contains(text)).as("the spans carry %s", text).isTrue();
            }
            assertThat(first.contains("env-from-properties")).as("a resource attribute otel.* sets").isTrue();
            assertThat(first.contains("name-from-properties")).as("the section's serviceName wins").isFalse();
            assertThat(first.contains(HexFormat.of().parseHex(clientSpan)))
                    .as("the server span's parent is the client's span").isTrue();
            assertThat(droppedSpans(gateway)).as("nothing lost").isZero();
        } finally {
            restore(before);
        }
    }

    @Test
    void aCollectorSlowerThanTheExportTimeoutCostsSpansNeverRequests() throws Exception {
        Map<String, String> properties = new HashMap<>(fastBatches());
        properties.put("otel.exporter.otlp.timeout", "1000");
        Map<String, String> before = set(properties);
        OtlpReceiver receiver = gateways.otlpReceiver();
        receiver.hold();
        try {
            JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
            RunningGateway gateway = gateway(upstream, TracingConfig.builder().endpoint(receiver.url()).queueSize(64));

            int requests = 400;
            for (int i = 0; i < requests; i++) {
                ContentResponse response = gateway.get("/api/slow/" + i);
                assertThat(response.getStatus()).as("request %d", i).isEqualTo(200);
                assertThat(response.getHeaders().get("X-Upstream")).isEqualTo("echo");
            }

            // Two spans a request; no export ever succeeds, so every span but those the exporter
            // still holds (a queue of 64, and a batch of at most 64 being sent) is lost, and counted.
            long held = 64 + 64;
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(droppedSpans(gateway))
                    .as("spans the full queue refused, or whose export timed out")
                    .isBetween(2L * requests - held, 2L * requests));
            assertThat(receiver.exports()).as("the exporter did send to the collector").isNotEmpty();
        } finally {
            receiver.release();
            restore(before);
        }
    }

    @Test
    void aCollectorThatIsDownCostsSpansNeverRequestsAndEachLostSpanIsCounted() throws Exception {
        Map<String, String> before = set(fastBatches());
        try {
            JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
            String refusing = "http://127.0.0.1:" + ClosedPort.find() + "/v1/traces";
            RunningGateway gateway = gateway(upstream, TracingConfig.builder().endpoint(refusing));

            int requests = 10;
            for (int i = 0; i < requests; i++) {
                assertThat(gateway.get("/api/down/" + i).getStatus()).as("request %d", i).isEqualTo(200);
            }

            // Each request made two spans, the server's and its attempt's; every export fails.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(droppedSpans(gateway))
                    .as("every span of a failed export, once").isEqualTo(2L * requests));
        } finally {
            restore(before);
        }
    }

    @Test
    void aCollectorRefusingEveryExportCostsTheSpansOfEachExportOnce() throws Exception {
        Map<String, String> before = set(fastBatches());
        try {
            JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
            OtlpReceiver receiver = gateways.otlpReceiver();
            receiver.answer(400);
            RunningGateway gateway = gateway(upstream, TracingConfig.builder().endpoint(receiver.url()));

            int requests = 10;
            for (int i = 0; i < requests; i++) {
                assertThat(gateway.get("/api/refused/" + i).getStatus()).as("request %d", i).isEqualTo(200);
            }

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(droppedSpans(gateway))
                    .as("every span of a refused export, once").isEqualTo(2L * requests));
            assertThat(receiver.exports()).as("the exports it refused").isNotEmpty();
        } finally {
            restore(before);
        }
    }

    @Test
    void atRatioZeroOnlyATraceTheClientSampledIsExportedAndTheUpstreamStaysInIt() throws Exception {
        Map<String, String> before = set(fastBatches());
        try {
            JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
            OtlpReceiver receiver = gateways.otlpReceiver();
            RunningGateway gateway = gateway(upstream, TracingConfig.builder().endpoint(receiver.url())
                    .samplingRatio(0));

            String unsampled = upstreamTraceparent(gateway.get("/api/new"));
            assertThat(sampled(unsampled)).as("a new trace at ratio 0: %s", unsampled).isFalse();
            String declinedTrace = randomHex(16);
            String declined = upstreamTraceparent(gateway.get("/api/declined",
                    headers -> headers.put("traceparent", "00-" + declinedTrace + "-" + randomHex(8) + "-00")));
            assertThat(declined).as("the client's trace").startsWith("00-" + declinedTrace + "-");
            assertThat(sampled(declined)).as("not sampled, as the client said: %s", declined).isFalse();
            String sampledTrace = randomHex(16);
            String clientSpan = randomHex(8);
            String kept = upstreamTraceparent(gateway.get("/api/sampled",
                    headers -> headers.put("traceparent", "00-" + sampledTrace + "-" + clientSpan + "-01")));
            assertThat(kept).as("the client's trace, the gateway's span").startsWith("00-" + sampledTrace + "-")
                    .doesNotContain(clientSpan);
            assertThat(sampled(kept)).as("sampled, as the client said: %s", kept).isTrue();

            await().atMost(PATIENCE).until(() -> receiver.receivedTrace(sampledTrace));
            // Spans leave in the order they end: the earlier requests' would have come first.
            assertThat(receiver.receivedTrace(traceIdOf(unsampled))).as("the new trace at ratio 0").isFalse();
            assertThat(receiver.receivedTrace(declinedTrace)).as("the trace the client did not sample").isFalse();
            assertThat(droppedSpans(gateway)).as("unsampled spans are not lost ones").isZero();
        } finally {
            restore(before);
        }
    }
}
