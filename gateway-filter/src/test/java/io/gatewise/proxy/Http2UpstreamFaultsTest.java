package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.testing.H2cGateway;
import io.gatewise.testing.RawH2Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an HTTP/2 upstream ends streams and connections, classified: {@code RST_STREAM} and
 * {@code GOAWAY} with their error codes, the two that say the request was not processed retried
 * even for a {@code POST} (RFC 9113 section 8.7), and a trailer section over the limit. Upstreams
 * written frame by frame on loopback ({@link RawH2Upstream}).
 */
class Http2UpstreamFaultsTest {
    private static final long WAIT_SECONDS = 10;

    private final List<AutoCloseable> started = new ArrayList<>();
    private H2cGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private String upstream(RawH2Upstream.Behavior behavior) throws Exception {
        RawH2Upstream upstream = RawH2Upstream.start(behavior);
        started.add(upstream);
        return upstream.url();
    }

    private ContentResponse post(String... upstreamUrls) throws Exception {
        RouteConfig.Builder route = RouteConfig.builder().path("/api/").protocol("h2");
        for (String url : upstreamUrls) {
            route.upstream(url);
        }
        gateway = H2cGateway.start(GatewayConfig.builder().route(route.build()).build());
        started.add(gateway);
        return gateway.h2cClient().POST(gateway.url("/api/orders"))
                .body(new StringRequestContent("text/plain", "order 17"))
                .timeout(WAIT_SECONDS, TimeUnit.SECONDS).send();
    }

    private FailureEvent onlyEvent() throws InterruptedException {
        FailureEvent event = gateway.events().poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).as("a failure event").isNotNull();
        assertThat(gateway.events()).isEmpty();
        return event;
    }

    /** The first request the upstreams see, on either, gets {@code first}; every later one an answer. */
    private static RawH2Upstream.Behavior firstThenAnswer(AtomicInteger seen, RawH2Upstream.Behavior first) {
        return (frames, stream, n) -> {
            if (seen.getAndIncrement() == 0) {
                return first.onRequest(frames, stream, n);
            }
            frames.answer(stream, "done");
            return false;
        };
    }

    @Test
    void refusedStreamIsRetriedEvenForAPost() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        RawH2Upstream.Behavior behavior = firstThenAnswer(seen, (frames, stream, n) -> {
            frames.reset(stream, RawH2Upstream.REFUSED_STREAM);
            return false;
        });

        ContentResponse response = post(upstream(behavior), upstream(behavior));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("done");
        assertThat(seen).as("refused, then sent again").hasValue(2);
        assertThat(gateway.events()).isEmpty();
    }

    @Test
    void streamAboveTheLastStreamOfAGoAwayIsRetriedEvenForAPost() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        RawH2Upstream.Behavior behavior = firstThenAnswer(seen, (frames, stream, n) -> {
            frames.goAway(0, RawH2Upstream.NO_ERROR);
            return false;
        });

        ContentResponse response = post(upstream(behavior), upstream(behavior));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(seen).hasValue(2);
    }

    @Test
    void otherResetOfAPostIsNotRetried() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        RawH2Upstream.Behavior behavior = firstThenAnswer(seen, (frames, stream, n) -> {
            frames.reset(stream, RawH2Upstream.INTERNAL_ERROR);
            return false;
        });

        ContentResponse response = post(upstream(behavior), upstream(behavior));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=connection_terminated");
        assertThat(seen).as("the upstream may have processed it").hasValue(1);
        FailureEvent event = onlyEvent();
        assertThat(event.failure().reason()).contains("reset the stream").contains("INTERNAL");
    }

    @Test
    void refusedStreamWithNoUpstreamLeftIsConnectionTerminated() throws Exception {
        ContentResponse response = post(upstream((frames, stream, n) -> {
            frames.reset(stream, RawH2Upstream.REFUSED_STREAM);
            return false;
        }));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=connection_terminated");
        FailureEvent event = onlyEvent();
        assertThat(event.failure().type().token()).isEqualTo("connection_terminated");
        assertThat(event.failure().reason()).contains("REFUSED_STREAM");
        assertThat(response.getContentAsString()).contains(event.failure().incident());
    }

    @Test
    void goAwayWithAnErrorIsConnectionTerminated() throws Exception {
        ContentResponse response = post(upstream((frames, stream, n) -> {
            frames.goAway(stream, RawH2Upstream.ENHANCE_YOUR_CALM);
            return true;
        }));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=connection_terminated");
        assertThat(onlyEvent().failure().type().token()).isEqualTo("connection_terminated");
    }

    @Test
    void protocolErrorResetIsHttpProtocolError() throws Exception {
        ContentResponse response = post(upstream((frames, stream, n) -> {
            frames.reset(stream, RawH2Upstream.PROTOCOL_ERROR);
            return false;
        }));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=http_protocol_error");
        assertThat(onlyEvent().failure().reason()).contains("HTTP/2 error").contains("protocol_error");
    }

    @Test
    void grpcCallsOwnDeadlineBoundsAnUpstreamThatNeverAnswers() throws Exception {
        // No route timeout applies to a gRPC stream; the caller's grpc-timeout does. This caller never cancels.
        upstream((frames, stream, n) -> false);
        gateway = H2cGateway.start(GatewayConfig.builder().route(RouteConfig.builder().path("/api/").protocol("h2")
                .upstream(((RawH2Upstream) started.get(started.size() - 1)).url()).build()).build());
        started.add(gateway);

        ContentResponse response = gateway.h2cClient().POST(gateway.url("/api/Orders/Get"))
                .headers(headers -> headers.put("grpc-timeout", "1S").put("te", "trailers"))
                .body(new BytesRequestContent("application/grpc", new byte[] {0, 0, 0, 0, 0}))
                .timeout(30, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("grpc-status")).isEqualTo("14");
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=http_response_timeout");
        assertThat(onlyEvent().failure().type().token()).isEqualTo("http_response_timeout");
    }

    @Test
    void grpcTimeoutIsReadAsGrpcWritesIt() {
        assertThat(GrpcDeadline.millis("1S")).isEqualTo(1000);
        assertThat(GrpcDeadline.millis("250m")).isEqualTo(250);
        assertThat(GrpcDeadline.millis("2M")).isEqualTo(120_000);
        assertThat(GrpcDeadline.millis("1H")).isEqualTo(3_600_000);
        assertThat(GrpcDeadline.millis("999999n")).as("under a millisecond: one").isEqualTo(1);
        assertThat(GrpcDeadline.millis("5000u")).isEqualTo(5);
        for (String malformed : new String[] {null, "", "S", "1", "1s", "-1S", "123456789S", "1.5S", " 1S"}) {
            assertThat(GrpcDeadline.millis(malformed)).as(malformed).isEqualTo(-1);
        }
    }

    @Test
    void trailersWithinTheLimitReachTheClient() throws Exception {
        ContentResponse response = post(upstream((frames, stream, n) -> {
            frames.answer(stream, "done", "x-checksum", "c".repeat(10_000));
            return false;
        }));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("done");
        assertThat(response.getTrailers().get("x-checksum")).hasSize(10_000);
        assertThat(gateway.events()).isEmpty();
    }

    @Test
    void trailerSectionOverTheLimitCutsTheResponse() throws Exception {
        // The route's header section limit (16 KB by default) holds for the trailer section too.
        String upstreamUrl = upstream((frames, stream, n) -> {
            frames.answer(stream, "done", "x-checksum", "c".repeat(20_000));
            return false;
        });

        assertThatThrownBy(() -> post(upstreamUrl)).as("the client learns its response is incomplete")
                .isInstanceOf(ExecutionException.class);
        FailureEvent event = onlyEvent();
        assertThat(event.failure().type().token()).isEqualTo("http_response_trailer_section_size");
        assertThat(event.failure().status()).isEqualTo(502);
        assertThat(event.failure().parameters()).containsKey("trailer-section-size");
    }
}
