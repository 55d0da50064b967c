package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.testing.Digests;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import io.gatewise.upstream.Lease;
import io.gatewise.upstream.UpstreamPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several upstreams per route: balancing, backups, and retries only where they are safe. */
class PoolsAndRetriesTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static UpstreamConfig upstream(String url, int weight, boolean backup) {
        return UpstreamConfig.builder().url(url).weight(weight).backup(backup).build();
    }

    private static Map<String, Integer> spread(RunningGateway gateway, int requests) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            ContentResponse response = gateway.get("/api/" + i);
            assertThat(response.getStatus()).as("request " + i).isEqualTo(200);
            counts.merge(response.getContentAsString(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void balancingSpreadsByWeight() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        JettyUpstream b = gateways.jettyUpstream(new NamedServlet("b"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(a.url(), 1, false), upstream(b.url(), 2, false))).build());
        assertThat(spread(gateway, 30)).containsEntry("a", 10).containsEntry("b", 20);
    }

    @Test
    void equalWeightsTakeTurns() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        JettyUpstream b = gateways.jettyUpstream(new NamedServlet("b"));
        JettyUpstream c = gateways.jettyUpstream(new NamedServlet("c"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/").upstreams(List.of(
                upstream(a.url(), 1, false), upstream(b.url(), 1, false), upstream(c.url(), 1, false))).build());

        // The lock-free turn of equal weights: one request each in every round of three.
        assertThat(spread(gateway, 30)).containsEntry("a", 10).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void leastInFlightSpreadsOverEveryUpstream() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        JettyUpstream b = gateways.jettyUpstream(new NamedServlet("b"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(a.url(), 1, false), upstream(b.url(), 1, false)))
                .loadBalancing("least-in-flight").build());
        Map<String, Integer> counts = spread(gateway, 40);

        assertThat(counts.keySet()).containsExactlyInAnyOrder("a", "b");

        // "a" keeps one request in flight: it wins a pick only when both draws land on it (1 in 4),
        // where round robin would still split evenly. 100 picks make a tie or worse ~1e-8 likely.
        UpstreamPool pool = gateway.server().gateway().routes().routes().get(0).pool();
        Lease busy = pool.lease(Set.of(pool.endpoints().get(1)));
        assertThat(busy.endpoint()).isSameAs(pool.endpoints().get(0));
        busy.sent();
        Map<String, Integer> loaded = spread(gateway, 100);
        busy.succeeded();
        assertThat(loaded.get("b")).as("the less loaded upstream takes most").isGreaterThan(
                loaded.getOrDefault("a", 0));
    }

    @Test
    void backupTakesTrafficOnlyWhenThePrimariesAreOut() throws Exception {
        int dead = ClosedPort.find();
        JettyUpstream primary = gateways.jettyUpstream(new NamedServlet("primary"));
        JettyUpstream backup = gateways.jettyUpstream(new NamedServlet("backup"));
        RunningGateway healthy = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(primary.url(), 1, false), upstream(backup.url(), 1, true))).build());
        RunningGateway failing = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + dead, 1, false),
                        upstream(backup.url(), 1, true))).build());
        assertThat(spread(healthy, 10)).containsOnlyKeys("primary");
        assertThat(spread(failing, 10)).containsOnlyKeys("backup");
        assertThat(failing.pendingEvents()).as("the client saw no failure").isEmpty();
    }

    @Test
    void refusedPrimaryFailsOverWithZeroClientVisibleErrors() throws Exception {
        int dead = ClosedPort.find();
        JettyUpstream alive = gateways.jettyUpstream(new NamedServlet("alive"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + dead, 1, false), upstream(alive.url(), 1, false)))
                .build());
        assertThat(spread(gateway, 20)).containsOnlyKeys("alive");

        Endpoint deadEndpoint = gateway.server().gateway().routes().routes().get(0).pool().endpoints().get(0);
        assertThat(deadEndpoint.failures()).as("every other first pick, until five failures in a row ejected it")
                .isEqualTo(5);
        assertThat(deadEndpoint.ejected()).isTrue();
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void postIsNeverReplayedOnceTheUpstreamMayHaveSeenIt() throws Exception {
        SocketUpstream first = gateways.socketUpstream(Faults.resetAfterRequest());
        SocketUpstream second = gateways.socketUpstream(Faults.resetAfterRequest());
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(first.url(), 1, false), upstream(second.url(), 1, false))).build());
        ContentResponse withBody = gateway.request("/api/orders")
                .method(HttpMethod.POST).body(new StringRequestContent("application/json", "{\"qty\":1}")).send();
        UpstreamFailure failure = gateway.onlyEvent().failure();
        ContentResponse withoutBody = gateway.request("/api/orders").method(HttpMethod.POST).send();
        gateway.onlyEvent();

        assertThat(withBody.getStatus()).isEqualTo(502);
        assertThat(withoutBody.getStatus()).isEqualTo(502);
        assertThat(first.requestHeads().size() + second.requestHeads().size())
                .as("each POST reached exactly one upstream, once").isEqualTo(2);
        assertThat(failure.attempts()).hasSize(1);
    }

    @Test
    void getThatTimesOutAfterSendingIsRetriedOnAnotherUpstream() throws Exception {
        SocketUpstream silent = gateways.socketUpstream(Faults.noResponse());
        JettyUpstream alive = gateways.jettyUpstream(new NamedServlet("alive"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(silent.url(), 1, false), upstream(alive.url(), 1, false)))
                .timeouts(TimeoutsConfig.builder().response(Duration.ofSeconds(1)).build()).build());
        ContentResponse response = gateway.get("/api/report");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("alive");
        assertThat(silent.requestHeads()).as("the first attempt was sent, then timed out").hasSize(1);
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void whenEveryAttemptFailsTheFailureListsThemAll() throws Exception {
        // proxyStatus: full, to read the next hop in Proxy-Status.
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream("http://127.0.0.1:" + ClosedPort.find(), 1, true)))
                .retries(RetryConfig.builder().maxAttempts(4).build()).build())
                .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL)).start();
        ContentResponse response = gateway.get("/api/x");

        UpstreamFailure failure = gateway.onlyEvent().failure();
        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("error", "connection_refused")
                .containsEntry("next-hop", failure.attempts().get(3).upstream());
        assertThat(failure.attempts()).hasSize(4);
        assertThat(failure.attempts()).extracting(attempt -> attempt.upstream()).doesNotHaveDuplicates();
        assertThat(gateway.failureAttributes(response)).containsEntry(FailureAttributes.ATTEMPTS, "4");
    }

    @Test
    void retryBudgetStopsARetryStorm() throws Exception {
        TestClock clock = new TestClock();
        RunningGateway gateway = gateways.builder().clock(clock).route(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false)))
                .ejection(EjectionConfig.builder().consecutiveFailures(0).build())
                .retries(RetryConfig.builder().maxAttempts(2).budgetPercent(10).minRetriesPerSecond(0).build())
                .build()).start();
        for (int i = 0; i < 50; i++) {
            assertThat(gateway.get("/api/x").getStatus()).isEqualTo(502);
        }
        List<Endpoint> endpoints = gateway.server().gateway().routes().routes().get(0).pool().endpoints();
        assertThat(endpoints.get(0).attempts() + endpoints.get(1).attempts())
                .as("50 requests, retries capped at 10% of them, not 50 more").isEqualTo(55);
        assertThat(gateway.server().gateway().routes().routes().get(0).retriesRefusedByBudget()).isEqualTo(45);

        clock.advance(Duration.ofSeconds(11));
        assertThat(gateway.get("/api/x").getStatus()).isEqualTo(502);
        assertThat(endpoints.get(0).attempts() + endpoints.get(1).attempts())
                .as("a new window with one request and no floor has no retry to give").isEqualTo(56);
        assertThat(gateway.pendingEvents()).hasSize(51)
                .filteredOn(event -> event.failure().attempts().size() == 2).hasSize(5);
    }

    /** Reads the whole body its request head announces and keeps it, then resets: it saw everything. */
    private static SocketUpstream.Behavior readBodyThenReset(List<String> bodies) {
        return (socket, head) -> {
            Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
            int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
            bodies.add(new String(socket.getInputStream().readNBytes(size), StandardCharsets.ISO_8859_1));
            socket.setSoLinger(true, 0);
        };
    }

    private static ContentResponse send(RunningGateway gateway, HttpMethod method, String body) throws Exception {
        return gateway.request("/api/items")
                .method(method).body(new StringRequestContent("application/json", body)).send();
    }

    private static void assertEchoedBody(ContentResponse response, String body) throws IOException {
        assertThat(response.getStatus()).isEqualTo(200);
        Map<String, Object> echoed = EchoServlet.parse(response.getContentAsString());
        assertThat(((Number) echoed.get("bodyLength")).longValue()).isEqualTo(body.length());
        assertThat(echoed.get("bodySha256"))
                .isEqualTo(Digests.hex(Digests.sha256().digest(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void keptBodyIsSentAgainWhenAnIdempotentRequestFailsAfterTheUpstreamReadIt() throws Exception {
        List<String> bodiesAtFailingUpstream = new CopyOnWriteArrayList<>();
        String body = "{\"name\":\"" + "x".repeat(40_000) + "\"}";
        SocketUpstream failing = gateways.socketUpstream(readBodyThenReset(bodiesAtFailingUpstream));
        JettyUpstream echo = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(failing.url(), 1, false), upstream(echo.url(), 1, false)))
                .build());
        // Round robin: one of the two requests meets the failing upstream first.
        assertEchoedBody(send(gateway, HttpMethod.PUT, body), body);
        assertEchoedBody(send(gateway, HttpMethod.PUT, body), body);

        assertThat(bodiesAtFailingUpstream).as("the failing upstream read the whole body once").containsExactly(body);
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void keptBodyOfAPostFollowsItFromARefusedUpstreamToTheNext() throws Exception {
        String body = "{\"qty\":1}";
        JettyUpstream echo = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream(echo.url(), 1, false))).build());
        assertEchoedBody(send(gateway, HttpMethod.POST, body), body);
        assertEchoedBody(send(gateway, HttpMethod.POST, body), body);

        Endpoint dead = gateway.server().gateway().routes().routes().get(0).pool().endpoints().get(0);
        assertThat(dead.failures()).as("one POST was refused there, then sent on").isEqualTo(1);
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void bodyLargerThanTheReplaySizeStreamsAndIsNotSentAgain() throws Exception {
        String body = "y".repeat(4096);
        JettyUpstream echo = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream("http://127.0.0.1:" + ClosedPort.find(), 1, false),
                        upstream(echo.url(), 1, false)))
                .retries(RetryConfig.builder().replayBodySize(1024).build()).build());
        ContentResponse first = send(gateway, HttpMethod.PUT, body);
        ContentResponse second = send(gateway, HttpMethod.PUT, body);

        ContentResponse refused = first.getStatus() == 200 ? second : first;
        assertEchoedBody(first.getStatus() == 200 ? first : second, body);
        assertThat(refused.getStatus()).isEqualTo(502);
        assertThat(RunningGateway.lastProxyStatusMember(refused).parameters())
                .containsEntry("error", "connection_refused");
        UpstreamFailure failure = gateway.onlyEvent().failure();
        assertThat(failure.attempts()).as("a streamed body cannot be sent again").hasSize(1);
        assertThat(gateway.failureAttributes(refused)).containsEntry(FailureAttributes.ATTEMPTS, "1");
    }

    @Test
    void aGetWhoseBodyHasBegunToReachTheClientIsNeverRetried() throws Exception {
        // 100 KB of 200 KB: more than the container's buffer, so part of it has been sent.
        SocketUpstream first = gateways.socketUpstream(Faults.truncatedBody(200_000));
        SocketUpstream second = gateways.socketUpstream(Faults.truncatedBody(200_000));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(first.url(), 1, false), upstream(second.url(), 1, false))).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.get("/api/report"))
                .as("the client sees an aborted response").isInstanceOf(java.util.concurrent.ExecutionException.class);

        UpstreamFailure failure = gateway.onlyEvent().failure();
        assertThat(failure.attempts()).hasSize(1);
        assertThat(failure.responseCommitted()).isTrue();
        assertThat(first.requestHeads().size() + second.requestHeads().size()).isEqualTo(1);
    }

    @Test
    void aGetWhoseBodyWasOnlyBufferedIsAnsweredWithTheFailureNotRetried() throws Exception {
        SocketUpstream first = gateways.socketUpstream(Faults.truncatedBody(1000));
        SocketUpstream second = gateways.socketUpstream(Faults.truncatedBody(1000));
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/api/")
                .upstreams(List.of(upstream(first.url(), 1, false), upstream(second.url(), 1, false))).build())
                .gatewayErrorPages().start();

        // The body is written as it comes, and a document's is not flushed at once: it sits in the container's
        // buffer with the stream in non-blocking mode, so no other attempt's may follow it (see RetryRule.Facts);
        // but the client has none of it, so the failure is answered with the gateway's page.
        ContentResponse response = gateway.get("/api/report");

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("error", "http_response_incomplete");
        assertThat(response.getContentAsString()).doesNotContain("ttttt");
        UpstreamFailure failure = gateway.onlyEvent().failure();
        assertThat(failure.attempts()).hasSize(1);
        assertThat(failure.responseCommitted()).isFalse();
        assertThat(first.requestHeads().size() + second.requestHeads().size()).isEqualTo(1);
    }
}
