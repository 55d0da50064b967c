package io.gatewise.proxy;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static io.gatewise.testing.FailureAssertions.assertRecordedAfterCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.LimitsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The faults of TAXONOMY.md that plain sockets stage, each reproduced for real on loopback: the
 * status, {@code Proxy-Status}, the request attributes an error page sees, and one log line.
 */
class UpstreamFaultsTest {
    @RegisterExtension
    // These tests read the whole RFC 9209 member: next-hop and every parameter, what proxyStatus: full shows.
    // The visitor view is InformationExposureTest's.
    final GatewayExtension gateways = new GatewayExtension()
            .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL));

    private static RouteConfig.Builder route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url);
    }

    private static TimeoutsConfig timeouts(Duration connect, Duration response, Duration idle) {
        return TimeoutsConfig.builder().connect(connect).response(response).idle(idle).build();
    }

    private static String hop(int port) {
        return "127.0.0.1:" + port;
    }

    @Test
    void nothingListeningIsConnectionRefused502() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = gateways.start(route("http://127.0.0.1:" + port).build());
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.CONNECTION_REFUSED, 502,
                FailureCause.UPSTREAM_DOWN, Phase.CONNECT, hop(port));
        assertThat(failure.upstreamMayHaveSeenRequest()).isFalse();
        assertThat(failure.route()).contains("/api/");
    }

    @Test
    void unansweredSynIsConnectionTimeout504() throws Exception {
        BlackholeUpstream blackhole = gateways.blackholeUpstream();
        RunningGateway gateway = gateways.start(route(blackhole.url())
                .timeouts(timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30))).build());
        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.CONNECTION_TIMEOUT, 504, FailureCause.FIREWALL,
                Phase.CONNECT, hop(blackhole.port()));
    }

    @Test
    void closeWithoutAByteIsConnectionTerminated502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.closeWithoutResponse());
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        // The upstream closes as soon as it has read the head: under load that can overtake Jetty's
        // report that the head was sent, so the head write is known to have begun, not ended.
        UpstreamFailure failure = assertAnswered(gateway, gateway.get("/api/users"),
                ProxyErrorType.CONNECTION_TERMINATED, 502, FailureCause.UPSTREAM_DOWN,
                EnumSet.of(Phase.SEND, Phase.AWAIT_HEADERS), hop(upstream.port()));
        assertThat(failure.upstreamMayHaveSeenRequest()).isTrue();
    }

    @Test
    void resetAfterTheRequestIsConnectionTerminated502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.resetAfterRequest());
        RunningGateway gateway = gateways.start(route(upstream.url()).build());

        // Under load the reset can overtake Jetty's report that the request was written: send, not await_headers.
        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.CONNECTION_TERMINATED, 502,
                FailureCause.UPSTREAM_DOWN, EnumSet.of(Phase.AWAIT_HEADERS, Phase.SEND), hop(upstream.port()));
    }

    @Test
    void garbageInsteadOfAStatusLineIsHttpProtocolError502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.garbage());
        RunningGateway gateway = gateways.start(route(upstream.url()).build());

        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.HTTP_PROTOCOL_ERROR, 502,
                FailureCause.INVALID_RESPONSE, Phase.AWAIT_HEADERS, hop(upstream.port()));
    }

    @Test
    void status500FollowedByABrokenHeaderIsStill502NotTheUpstreams500() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(
                Faults.raw("HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\nBad Header Line\r\n\r\n"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.HTTP_PROTOCOL_ERROR, 502,
                FailureCause.INVALID_RESPONSE, Phase.HEADERS, hop(upstream.port()));
        assertThat(failure.receivedStatus()).contains(500);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("received-status", 500L);
    }

    @Test
    void headerSectionOverTheLimitIsHeaderSectionSize502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.oversizedHeaders(20 * 1024));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                502, FailureCause.INVALID_RESPONSE, Phase.HEADERS, hop(upstream.port()));
        long size = (Long) RunningGateway.lastProxyStatusMember(response).parameters().get("header-section-size");
        assertThat(size).isGreaterThan(LimitsConfig.DEFAULT_MAX_RESPONSE_HEADER_SIZE);
        assertThat(failure.parameters()).containsEntry("header-section-size", size);
    }

    @Test
    void headerSectionFarOverTheLimitOverflowingTheParserIsStillHeaderSectionSize502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.oversizedHeaders(300 * 1024));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, 502,
                FailureCause.INVALID_RESPONSE, Phase.HEADERS, hop(upstream.port()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"102 Processing", "103 Early Hints"})
    void interimResponsesAreSkippedAndTheFinalAnswerPassesThrough(String interim) throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 " + interim
                + "\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"));
        RunningGateway gateway = gateways.start(route(upstream.url())
                .timeouts(TimeoutsConfig.builder().response(Duration.ofSeconds(5)).build()).build());

        ContentResponse response = gateway.get("/api/users");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("final");
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void noContentWithABodyIsHttpProtocolError502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw(
                "HTTP/1.1 204 No Content\r\nContent-Length: 20\r\n\r\n01234567890123456789"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.HTTP_PROTOCOL_ERROR, 502, FailureCause.INVALID_RESPONSE,
                Set.of(Phase.HEADERS, Phase.BODY), hop(upstream.port()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate,chunked", "x-custom, chunked"})
    void aTransferCodingBesidesChunkedIsHttpProtocolError502NotACorruptedBody(String codings) throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: " + codings + "\r\n\r\n5\r\n\u001f\u008b\u0008\u0000\u0000\r\n0\r\n\r\n"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.HTTP_PROTOCOL_ERROR, 502,
                FailureCause.INVALID_RESPONSE, Set.of(Phase.HEADERS, Phase.BODY), hop(upstream.port()));
        assertThat(failure.reason()).contains("Transfer-Encoding " + codings.split(",")[0].strip());
        assertThat(response.getContent()).doesNotContain((byte) 0x8b);
    }

    @Test
    void switchingProtocolsNobodyAskedForIsHttpProtocolError502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.HTTP_PROTOCOL_ERROR, 502, FailureCause.INVALID_RESPONSE,
                Set.of(Phase.HEADERS, Phase.AWAIT_HEADERS), hop(upstream.port()));
    }

    @Test
    void noAnswerWithinTheResponseTimeoutIsHttpResponseTimeout504() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.noResponse());
        RunningGateway gateway = gateways.start(route(upstream.url())
                .timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30))).build());

        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.HTTP_RESPONSE_TIMEOUT, 504,
                FailureCause.UPSTREAM_OVERLOADED, Phase.AWAIT_HEADERS, hop(upstream.port()));
    }

    @Test
    void silenceBeforeTheStatusLinePastTheIdleTimeoutIsConnectionReadTimeout504() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.noResponse());
        RunningGateway gateway = gateways.start(route(upstream.url())
                .timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1))).build());

        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.CONNECTION_READ_TIMEOUT, 504,
                FailureCause.UPSTREAM_OVERLOADED, Phase.AWAIT_HEADERS, hop(upstream.port()));
    }

    @Test
    void bodyThatStallsBeforeAnyOfItReachedTheClientIsConnectionReadTimeout504WithThePage() throws Exception {
        // 500 bytes of 1000 wait in the gateway's response buffer: the client has received nothing yet.
        SocketUpstream upstream = gateways.socketUpstream(Faults.stalledBody(1000));
        // The gateway's own page answers even where the container's error dispatch is asked for: see below.
        RunningGateway gateway = gateways.builder().route(route(upstream.url())
                .timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1))).build())
                .gatewayErrorPages().start();

        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.CONNECTION_READ_TIMEOUT, 504,
                FailureCause.UPSTREAM_OVERLOADED, Phase.BODY, hop(upstream.port()));
        assertThat(failure.responseCommitted()).isFalse();
        assertThat(response.getContentAsString()).doesNotContain("sssss");
    }

    @Test
    void bodyThatStallsAfterSomeOfItReachedTheClientAbortsTheClientAndRecordsConnectionReadTimeout() throws Exception {
        // 100 KB of 200 KB: more than the response buffer holds, so part of it has been sent.
        SocketUpstream upstream = gateways.socketUpstream(Faults.stalledBody(200_000));
        RunningGateway gateway = gateways.start(route(upstream.url())
                .timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1))).build());

        assertThatThrownBy(() -> gateway.get("/api/users")).as("the client sees an aborted response")
                .isInstanceOf(ExecutionException.class);
        assertRecordedAfterCommit(gateway, ProxyErrorType.CONNECTION_READ_TIMEOUT, FailureCause.UPSTREAM_OVERLOADED,
                Phase.BODY);
    }

    @Test
    void aBufferedBodyGivesWayToTheGatewaysPageEvenWhereTheContainerWouldRenderErrors() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.truncatedBody(1000));
        // In this suite's first run the container's error dispatch answers failures; it cannot write on a
        // stream already in non-blocking mode, so the gateway writes its own page there too.
        RunningGateway gateway = gateways.start(route(upstream.url()).build());

        ContentResponse response = gateway.get("/api/users", headers -> headers.put("Accept", "application/json"));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("http_response_incomplete").doesNotContain("ttttt");
        assertThat(gateway.onlyEvent().failure().type()).isEqualTo(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE);
    }

    @Test
    void bodyCutShortBeforeAnyOfItReachedTheClientIsHttpResponseIncomplete502WithThePage() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.truncatedBody(1000));
        RunningGateway gateway = gateways.builder().route(route(upstream.url()).build()).gatewayErrorPages().start();

        ContentResponse response = gateway.get("/api/users");

        assertAnswered(gateway, response, ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, 502, FailureCause.NETWORK,
                Phase.BODY, hop(upstream.port()));
    }

    @Test
    void bodyCutShortAfterSomeOfItReachedTheClientAbortsTheClientAndRecordsHttpResponseIncomplete() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.truncatedBody(200_000));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());

        assertThatThrownBy(() -> gateway.get("/api/users")).isInstanceOf(ExecutionException.class);
        assertRecordedAfterCommit(gateway, ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, FailureCause.NETWORK, Phase.BODY);
    }

    @Test
    void bodyOverTheConfiguredMaximumIsHttpResponseBodySize502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n"
                + "Content-Type: text/plain\r\n\r\n" + "b".repeat(5000)));
        RunningGateway gateway = gateways.start(route(upstream.url())
                .limits(LimitsConfig.builder().maxResponseBodySize(1024).build()).build());
        ContentResponse response = gateway.get("/api/report");

        assertAnswered(gateway, response, ProxyErrorType.HTTP_RESPONSE_BODY_SIZE, 502, FailureCause.INVALID_RESPONSE,
                Phase.BODY, hop(upstream.port()));
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters()).containsEntry("body-size", 5000L);
    }

    @Test
    void upstreamErrorStatusPassesThroughWithReceivedStatusAfterTheUpstreamsOwnMember() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.raw("HTTP/1.1 503 Service Unavailable\r\n"
                + "Proxy-Status: inner-lb; error=destination_unavailable\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\nbusy"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());
        ContentResponse response = gateway.get("/api/users");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).isEqualTo("busy");
        RunningGateway.Member member = RunningGateway.lastProxyStatusMember(response);
        assertThat(member.listSize()).as("the upstream's member is kept").isEqualTo(2);
        assertThat(member.name()).isEqualTo(RunningGateway.NAME);
        assertThat(member.parameters()).containsEntry("received-status", 503L)
                .containsEntry("next-hop", hop(upstream.port())).doesNotContainKey("error");
        assertThat(response.getHeaders().get("Proxy-Status")).startsWith("inner-lb; error=destination_unavailable, ");
        assertThat(gateway.pendingEvents()).as("the upstream's own answer is not a gateway failure").isEmpty();
    }

    @Test
    void requestThatAlreadyPassedThisGatewayIsProxyLoopDetected502() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "looped"));
        RunningGateway gateway = gateways.start(route(upstream.url()).build());

        assertAnswered(gateway, gateway.get("/api/users", h -> h.add("Via", "1.1 cdn, 1.1 " + RunningGateway.NAME)),
                ProxyErrorType.PROXY_LOOP_DETECTED, 502, FailureCause.CONFIGURATION, Phase.ROUTE, null);
        assertAnswered(gateway, gateway.get("/api/users", h -> h.add("CDN-Loop", RunningGateway.NAME + "; x=1")),
                ProxyErrorType.PROXY_LOOP_DETECTED, 502, FailureCause.CONFIGURATION, Phase.ROUTE, null);
        assertThat(upstream.requestHeads()).as("a looping request is not forwarded").isEmpty();
    }

    @Test
    void pathWithoutRouteIsDestinationNotFound500Or404WhereConfigured() throws Exception {
        RunningGateway plain = gateways.start(route("http://127.0.0.1:9").build());
        RunningGateway with404 = gateways.builder().route(route("http://127.0.0.1:9").build())
                .settings(settings -> settings.noRouteStatus(404)).start();

        assertAnswered(plain, plain.get("/elsewhere"), ProxyErrorType.DESTINATION_NOT_FOUND, 500,
                FailureCause.CONFIGURATION, Phase.ROUTE, null);
        assertAnswered(with404, with404.get("/elsewhere"), ProxyErrorType.DESTINATION_NOT_FOUND, 404,
                FailureCause.CONFIGURATION, Phase.ROUTE, null);
    }

    @Test
    void accessLogCarriesTheErrorType() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = gateways.start(route("http://127.0.0.1:" + port).build());
        gateway.get("/api/users");
        gateway.onlyEvent();

        // The request log is written once the exchange completes, just after the response.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.accessLog())
                .singleElement().asString()
                .contains("\"GET /api/users HTTP/1.1\" 502 ")
                .contains("error=connection_refused"));
    }
}
