package io.gatewise.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TracingConfig;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.faults.ClosedPort;
import io.gatewise.failure.FailureEvent;
import io.gatewise.observe.FailureLog;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.WebSocketRecorder;
import io.gatewise.testing.WebSocketUpstream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's spans, through the application's own OpenTelemetry (the SDK with an in-memory
 * exporter: the spans as an exporter would get them), for real requests through a real gateway to
 * loopback upstreams: the tree, the attributes of each attempt, what the upstream receives, and the
 * trace id wherever a failure is reported.
 */
class TracingTest {
    private static final String INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String INCOMING_PARENT = "00f067aa0ba902b7";
    private static final String SAMPLED = "00-" + INCOMING_TRACE + "-" + INCOMING_PARENT + "-01";
    private static final String TOKEN = "trace-admin-token-0123456";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk = sdk(Sampler.alwaysOn());

    private OpenTelemetrySdk sdk(Sampler sampler) {
        spans = InMemorySpanExporter.create();
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private RunningGateway.Builder traced(RouteConfig route, TracingConfig tracing) {
        return gateways.builder().route(route).tracing(tracing).openTelemetry(sdk);
    }

    private static TracingConfig on() {
        return TracingConfig.builder().enabled(true).build();
    }

    private RouteConfig echoRoute() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        return RouteConfig.builder().path("/api/").upstream(upstream.url()).build();
    }

    /** @return the finished spans of one trace, once its server span has ended */
    private List<SpanData> trace(String traceId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getTraceId().equals(traceId) && span.getKind() == SpanKind.SERVER));
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static SpanData server(List<SpanData> trace) {
        return trace.stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    }

    private static List<SpanData> clients(List<SpanData> trace) {
        return trace.stream().filter(span -> span.getKind() == SpanKind.CLIENT).toList();
    }

    private static String attribute(SpanData span, String key) {
        Object value = span.getAttributes().get(AttributeKey.stringKey(key));
        return value == null ? null : value.toString();
    }

    private static Long number(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }

    @Test
    void aRequestIsAServerSpanUnderTheClientsTraceWithOneClientSpanWhoseIdTheUpstreamReceives() throws Exception {
        RunningGateway gateway = traced(echoRoute(), on()).start();

        ContentResponse response = gateway.get("/api/users?token=secret", headers -> headers
                .put("traceparent", SAMPLED).put("tracestate", "vendor=abc"));

        assertThat(response.getStatus()).isEqualTo(200);
        List<SpanData> trace = trace(INCOMING_TRACE);
        assertThat(trace).hasSize(2);
        SpanData server = server(trace);
        SpanData client = clients(trace).get(0);
        assertThat(server.getName()).isEqualTo("GET /api/");
        assertThat(server.getParentSpanId()).isEqualTo(INCOMING_PARENT);
        assertThat(attribute(server, "http.route")).isEqualTo("/api/");
        assertThat(attribute(server, "http.request.method")).isEqualTo("GET");
        assertThat(attribute(server, "url.path")).isEqualTo("/api/users");
        assertThat(number(server, "http.response.status_code")).isEqualTo(200L);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(client.getName()).isEqualTo("GET");
        assertThat(attribute(client, "server.address")).isEqualTo("127.0.0.1");
        assertThat(number(client, "server.port")).isPositive();
        assertThat(attribute(client, "url.full")).endsWith("/api/users").doesNotContain("token");
        assertThat(number(client, "http.response.status_code")).isEqualTo(200L);
        assertThat(number(client, "http.request.resend_count")).as("a first attempt is no resend").isNull();
        assertThat(client.getStartEpochNanos()).isGreaterThanOrEqualTo(server.getStartEpochNanos());
        assertThat(client.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(EchoServlet.header(echo, "traceparent"))
                .containsExactly("00-" + INCOMING_TRACE + "-" + client.getSpanId() + "-01");
        assertThat(EchoServlet.header(echo, "tracestate")).containsExactly("vendor=abc");
        // The access log's line is written once the response is complete, maybe just after the client has it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.accessLog())
                .anySatisfy(line -> assertThat(line).endsWith(" " + INCOMING_TRACE)));
    }

    @Test
    void aRetriedRequestHasOneClientSpanPerAttemptTheFailedOneWithItsClassifiedFailure() throws Exception {
        JettyUpstream up = gateways.jettyUpstream(new EchoServlet());
        RouteConfig route = RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + ClosedPort.find())
                .upstream(up.url()).retries(RetryConfig.builder().maxAttempts(2).build()).build();
        RunningGateway gateway = traced(route, on()).start();

        List<SpanData> retried = null;
        for (int i = 0; i < 4 && retried == null; i++) {
            ContentResponse response = gateway.get("/api/" + i);
            assertThat(response.getStatus()).isEqualTo(200);
            String traceId = EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "traceparent")
                    .get(0).substring(3, 35);
            List<SpanData> trace = trace(traceId);
            if (clients(trace).size() == 2) {
                retried = trace;
            }
        }

        assertThat(retried).as("one request went first to the refusing upstream").isNotNull();
        SpanData server = server(retried);
        List<SpanData> attempts = clients(retried).stream()
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        SpanData refused = attempts.get(0);
        SpanData resent = attempts.get(1);
        assertThat(attempts).allSatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(server.getSpanId()));
        assertThat(attribute(refused, "error.type")).isEqualTo("connection_refused");
        assertThat(attribute(refused, "gatewise.cause")).isEqualTo("upstream_down");
        assertThat(attribute(refused, "gatewise.phase")).isEqualTo("connect");
        assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(number(refused, "http.request.resend_count")).isNull();
        assertThat(number(resent, "http.request.resend_count")).isEqualTo(1L);
        assertThat(number(resent, "http.response.status_code")).isEqualTo(200L);
        assertThat(attribute(resent, "error.type")).isNull();
        assertThat(number(server, "http.response.status_code")).isEqualTo(200L);
        assertThat(attribute(server, "error.type")).as("the exchange succeeded").isNull();
    }

    @Test
    void aFailureCarriesItsTraceIdToTheSpansTheLogLineTheProblemDetailsTheOperatorViewAndTheAdminApi()
            throws Exception {
        RouteConfig route = RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + ClosedPort.find())
                .build();
        RunningGateway gateway = traced(route, on()).gatewayErrorPages(ErrorPagesConfig.builder()
                .operator(new ErrorPagesConfig.Operator().trustedNetworks(List.of("127.0.0.1/32"))).build())
                .admin(AdminConfig.builder().port(0).token(TOKEN).build()).start();

        ContentResponse response = gateway.get("/api/users", headers -> headers.put("traceparent", SAMPLED)
                .put("Accept", "application/problem+json"));

        assertThat(response.getStatus()).isEqualTo(502);
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.path("trace_id").asText()).isEqualTo(INCOMING_TRACE);
        assertThat(problem.path("operator").path("traceId").asText()).isEqualTo(INCOMING_TRACE);
        String incident = problem.path("incident").asText();
        List<SpanData> trace = trace(INCOMING_TRACE);
        SpanData server = server(trace);
        SpanData attempt = clients(trace).get(0);
        assertThat(attribute(server, "error.type")).isEqualTo("connection_refused");
        assertThat(attribute(server, "gatewise.incident")).isEqualTo(incident);
        assertThat(number(server, "http.response.status_code")).isEqualTo(502L);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attribute(attempt, "error.type")).isEqualTo("connection_refused");
        assertThat(attribute(attempt, "gatewise.incident")).isEqualTo(incident);
        FailureEvent event = gateway.onlyEvent();
        assertThat(event.failure().traceId()).contains(INCOMING_TRACE);
        assertThat(FailureLog.line(event)).contains(" trace_id=" + INCOMING_TRACE + " ");

        HttpResponse<String> failures = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.adminUrl() + "/admin/failures")).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode listed = JSON.readTree(failures.body());
        assertThat(listed.toString()).contains("\"traceId\":\"" + INCOMING_TRACE + "\"");

        ContentResponse page = gateway.get("/api/page", headers -> headers.put("Accept", "text/html"));
        String traceId = gateway.onlyEvent().failure().traceId().orElseThrow();
        assertThat(traceId).as("a new trace").hasSize(32).isNotEqualTo(INCOMING_TRACE);
        assertThat(page.getContentAsString()).contains("id=\"trace-id\"><code>" + traceId + "</code>");
    }

    @Test
    void aMalformedTraceparentIsIgnoredAndTheRequestStartsANewTrace() throws Exception {
        RunningGateway gateway = traced(echoRoute(), on()).start();

        ContentResponse response = gateway.get("/api/x", headers -> headers
                .put("traceparent", "00-" + INCOMING_TRACE.toUpperCase() + "-" + INCOMING_PARENT + "-01"));

        assertThat(response.getStatus()).isEqualTo(200);
        String sent = EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "traceparent").get(0);
        String traceId = sent.substring(3, 35);
        assertThat(traceId).isNotEqualToIgnoringCase(INCOMING_TRACE);
        SpanData server = server(trace(traceId));
        assertThat(server.getParentSpanContext().isValid()).as("a root span").isFalse();
    }

    @Test
    void anUntrustedTraceparentStartsANewTraceLinkedToTheClients() throws Exception {
        RunningGateway gateway = traced(echoRoute(), TracingConfig.builder().enabled(true).trustIncoming(false)
                .build()).start();

        ContentResponse response = gateway.get("/api/x", headers -> headers.put("traceparent", SAMPLED)
                .put("tracestate", "vendor=abc"));

        String sent = EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "traceparent").get(0);
        String traceId = sent.substring(3, 35);
        assertThat(traceId).isNotEqualTo(INCOMING_TRACE);
        SpanData server = server(trace(traceId));
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(server.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(INCOMING_TRACE);
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(INCOMING_PARENT);
        });
        assertThat(EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "tracestate"))
                .as("the client's trace state is not the new trace's").isEmpty();
    }

    @Test
    void offNoSpansAndTraceContextPassesUntouchedYetTheFailureNamesTheClientsTrace() throws Exception {
        RunningGateway gateway = traced(echoRoute(), TracingConfig.defaults()).start();

        ContentResponse response = gateway.get("/api/x", headers -> headers.put("traceparent", SAMPLED)
                .put("tracestate", "vendor=abc"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(EchoServlet.header(echo, "traceparent")).containsExactly(SAMPLED);
        assertThat(EchoServlet.header(echo, "tracestate")).containsExactly("vendor=abc");
        // The access log's line is written once the response is complete, maybe just after the client has it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.accessLog())
                .anySatisfy(line -> assertThat(line).endsWith(" " + INCOMING_TRACE)));

        RunningGateway refusing = traced(RouteConfig.builder().path("/api/")
                .upstream("http://127.0.0.1:" + ClosedPort.find()).build(), TracingConfig.defaults()).start();
        assertThat(refusing.get("/api/x", headers -> headers.put("traceparent", SAMPLED)).getStatus()).isEqualTo(502);
        assertThat(refusing.onlyEvent().failure().traceId()).contains(INCOMING_TRACE);
        assertThat(refusing.get("/api/y", headers -> headers.put("traceparent", "garbage")).getStatus())
                .isEqualTo(502);
        assertThat(refusing.onlyEvent().failure().traceId()).isEmpty();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void anUnsampledTraceIsPropagatedAsUnsampledAndRecordsNoSpan() throws Exception {
        sdk.close();
        sdk = sdk(Sampler.parentBased(Sampler.alwaysOff()));
        RunningGateway gateway = traced(echoRoute(), on()).start();

        ContentResponse fresh = gateway.get("/api/x");
        ContentResponse parented = gateway.get("/api/y", headers -> headers.put("traceparent", SAMPLED));

        String sent = EchoServlet.header(EchoServlet.parse(fresh.getContentAsString()), "traceparent").get(0);
        assertThat(Integer.parseInt(sent.substring(53), 16) & 1).as("the sampled flag of " + sent).isZero();
        assertThat(EchoServlet.header(EchoServlet.parse(parented.getContentAsString()), "traceparent").get(0))
                .startsWith("00-" + INCOMING_TRACE + "-").endsWith("-01");
        List<SpanData> kept = trace(INCOMING_TRACE);
        assertThat(kept).hasSize(2);
        assertThat(spans.getFinishedSpanItems()).as("only the sampled parent's trace").hasSize(2);
    }

    @Test
    void anAttemptThatEjectsItsUpstreamSaysSo() throws Exception {
        JettyUpstream up = gateways.jettyUpstream(new EchoServlet());
        RouteConfig route = RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + ClosedPort.find())
                .upstream(up.url()).retries(RetryConfig.builder().maxAttempts(2).build())
                .ejection(EjectionConfig.builder().consecutiveFailures(1).maxEjectedPercent(50).build()).build();
        RunningGateway gateway = traced(route, on()).start();

        for (int i = 0; i < 2; i++) {
            assertThat(gateway.get("/api/" + i).getStatus()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> "connection_refused".equals(attribute(span, "error.type"))
                        && span.getKind() == SpanKind.CLIENT));
        SpanData refused = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CLIENT && attribute(span, "error.type") != null)
                .findFirst().orElseThrow();
        assertThat(attribute(refused, "gatewise.upstream_state")).isEqualTo("ejected");
    }

    @Test
    void theLatencyHistogramCarriesExemplarsWithTheTraceIdInOpenMetrics() throws Exception {
        RunningGateway gateway = traced(echoRoute(), on()).admin(AdminConfig.builder().port(0).token(TOKEN).build())
                .start();
        gateway.get("/api/x", headers -> headers.put("traceparent", SAMPLED));
        trace(INCOMING_TRACE);

        HttpResponse<String> openMetrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.adminUrl() + "/metrics")).header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.adminUrl() + "/metrics")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).containsPattern("gatewise_requests_seconds_bucket\\{[^}]*\\} \\d+ # \\{"
                + "span_id=\"[0-9a-f]{16}\",trace_id=\"" + INCOMING_TRACE + "\"\\}");
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain"));
        assertThat(text.body()).contains("gatewise_tracing_spans_dropped_total 0").doesNotContain("trace_id=");
    }

    @Test
    void underTheApplicationsOwnServerSpanTheGatewaysSpanIsItsChild() throws Exception {
        io.opentelemetry.api.trace.Tracer application = sdk.getTracer("application");
        RunningGateway gateway = traced(echoRoute(), on()).context(handler -> handler.addFilter(
                new org.eclipse.jetty.ee10.servlet.FilterHolder((jakarta.servlet.Filter) (request, response, chain) -> {
                    io.opentelemetry.api.trace.Span span = application.spanBuilder("application server span")
                            .setSpanKind(SpanKind.SERVER).startSpan();
                    try (io.opentelemetry.context.Scope scope = span.makeCurrent()) {
                        chain.doFilter(request, response);
                    } finally {
                        span.end();
                    }
                }), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST))).start();

        ContentResponse response = gateway.get("/api/x");

        String traceId = EchoServlet.header(EchoServlet.parse(response.getContentAsString()), "traceparent").get(0)
                .substring(3, 35);
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId)).count() == 3);
        List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId))
                .toList();
        SpanData outer = trace.stream().filter(span -> span.getName().equals("application server span")).findFirst()
                .orElseThrow();
        SpanData gatewaySpan = trace.stream().filter(span -> span.getKind() == SpanKind.INTERNAL).findFirst()
                .orElseThrow();
        assertThat(gatewaySpan.getParentSpanId()).isEqualTo(outer.getSpanId());
        assertThat(gatewaySpan.getName()).isEqualTo("GET /api/");
        assertThat(clients(trace)).singleElement().satisfies(client -> assertThat(client.getParentSpanId())
                .isEqualTo(gatewaySpan.getSpanId()));
    }

    @Test
    void aWebSocketIsOneServerSpanForTheSessionAndTheUpstreamHandshakeCarriesItsAttemptsSpan() throws Exception {
        WebSocketUpstream upstream = WebSocketUpstream.start();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            RunningGateway gateway = traced(RouteConfig.builder().path("/live/").upstream(upstream.url()).build(), on())
                    .start();
            WebSocketRecorder recorder = new WebSocketRecorder();
            ClientUpgradeRequest request = new ClientUpgradeRequest();
            request.setHeader("traceparent", SAMPLED);
            Session session = client.connect(recorder, URI.create("ws://127.0.0.1:" + gateway.port() + "/live/feed"),
                    request).get(WebSocketRecorder.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            session.sendText("hello", Callback.NOOP);
            assertThat(recorder.nextText()).isEqualTo("hello");
            session.close(4000, "done", Callback.NOOP);
            recorder.close();

            List<SpanData> trace = trace(INCOMING_TRACE);
            SpanData server = server(trace);
            SpanData attempt = clients(trace).get(0);
            assertThat(server.getName()).isEqualTo("GET /live/");
            assertThat(number(server, "http.response.status_code")).isEqualTo(101L);
            assertThat(number(server, "gatewise.websocket.close_code")).isEqualTo(4000L);
            assertThat(attribute(server, "gatewise.websocket.initiator")).isEqualTo("client");
            assertThat(upstream.handshakes().get(0).get("traceparent"))
                    .isEqualTo("00-" + INCOMING_TRACE + "-" + attempt.getSpanId() + "-01");
        } finally {
            client.stop();
            upstream.close();
        }
    }
}
