package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GrpcUpstream;
import io.gatewise.testing.H2cGateway;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC through the gateway, a real grpc-java client and server on both sides of it, h2c on both
 * legs: every kind of call, the trailers a gRPC client needs, and the gateway's own failures
 * answered as gRPC statuses.
 */
class GrpcProxyTest {
    private static final String SERVICE = "/" + SimpleServiceGrpc.SERVICE_NAME + "/";
    private static final long WAIT_SECONDS = 10;
    private static final Metadata.Key<String> PROXY_STATUS = Metadata.Key.of("proxy-status",
            Metadata.ASCII_STRING_MARSHALLER);

    private final List<AutoCloseable> started = new ArrayList<>();
    private BlockingQueue<FailureEvent> events;
    private GrpcUpstream upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = GrpcUpstream.start();
        started.add(upstream);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** @return a client channel to a gateway (h2c beside HTTP/1.1) with one route for the service */
    private ManagedChannel throughGateway(String upstreamUrl) throws Exception {
        return throughGateway(GatewayConfig.builder().route(RouteConfig.builder().path(SERVICE).protocol("h2")
                .upstream(upstreamUrl).build()));
    }

    private ManagedChannel throughGateway(GatewayConfig.Builder config) throws Exception {
        H2cGateway gateway = H2cGateway.start(config.build());
        started.add(gateway);
        events = gateway.events();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
        started.add(() -> channel.shutdownNow().awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        return channel;
    }

    private static SimpleRequest request(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    private static SimpleServiceGrpc.SimpleServiceBlockingStub blocking(ManagedChannel channel) {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallPassesThrough() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());

        SimpleResponse response = blocking(channel).unaryRpc(request("order 17"));

        assertThat(response.getResponseMessage()).isEqualTo("echo order 17");
        assertThat(events).isEmpty();
    }

    @Test
    void serverStreamingCallPassesEveryMessage() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());

        List<String> parts = new ArrayList<>();
        Iterator<SimpleResponse> responses = blocking(channel).serverStreamingRpc(request("5"));
        responses.forEachRemaining(response -> parts.add(response.getResponseMessage()));

        assertThat(parts).containsExactly("part 1", "part 2", "part 3", "part 4", "part 5");
    }

    @Test
    void clientStreamingCallSendsEveryMessage() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());
        CompletableFuture<String> answer = new CompletableFuture<>();

        StreamObserver<SimpleRequest> requests = SimpleServiceGrpc.newStub(channel)
                .clientStreamingRpc(observer(answer::complete, answer::completeExceptionally));
        for (String part : List.of("a", "b", "c")) {
            requests.onNext(request(part));
        }
        requests.onCompleted();

        assertThat(answer.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("a+b+c");
    }

    @Test
    void bidirectionalCallEchoesMessageByMessage() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());
        BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();

        StreamObserver<SimpleRequest> requests = SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(
                new StreamObserver<>() {
                    @Override
                    public void onNext(SimpleResponse response) {
                        echoes.add(response.getResponseMessage());
                    }

                    @Override
                    public void onError(Throwable failure) {
                        done.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        // Each echo must come back before the next message is sent: nothing waits for the stream to end.
        for (int i = 1; i <= 3; i++) {
            requests.onNext(request("m" + i));
            assertThat(echoes.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("echo of message %d", i).isEqualTo("echo m" + i);
        }
        requests.onCompleted();

        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void trailersOnlyErrorKeepsStatusMessageAndTrailers() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());

        assertThatThrownBy(() -> blocking(channel).unaryRpc(request("fail:no stock")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("bad order: no stock");
                    Metadata trailers = Status.trailersFromThrowable(e);
                    assertThat(trailers.get(GrpcUpstream.CUSTOM_TRAILER)).isEqualTo("rejected");
                    assertThat(trailers.get(GrpcUpstream.STATUS_DETAILS)).isEqualTo(GrpcUpstream.DETAILS);
                });
        assertThat(events).as("the upstream's own gRPC error is no failure of the gateway's").isEmpty();
    }

    @Test
    void refusedUpstreamIsUnavailableWithProxyStatus() throws Exception {
        ManagedChannel channel = throughGateway("http://127.0.0.1:" + ClosedPort.find());

        StatusRuntimeException failure = catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        FailureEvent event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event.failure().type().token()).isEqualTo("connection_refused");
        assertThat(failure.getStatus().getDescription())
                .contains("connection_refused").contains(event.failure().incident())
                .doesNotContain("127.0.0.1");
        Metadata trailers = Status.trailersFromThrowable(failure);
        assertThat(trailers.get(PROXY_STATUS))
                .contains("error=connection_refused");
    }

    @Test
    void gatewaysOwnGrpcAnswerIsCountedWithTheStatusItsFailureHas() throws Exception {
        H2cGateway gateway = H2cGateway.start(GatewayConfig.builder().route(RouteConfig.builder().path(SERVICE)
                .protocol("h2").upstream("http://127.0.0.1:" + ClosedPort.find()).build()).build());
        started.add(gateway);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
        started.add(() -> channel.shutdownNow().awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));

        catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));

        // The client got HTTP 200 with grpc-status 14; the meters count what the failure is, as for any client.
        String metrics = gateway.server().gateway().metrics().prometheusText().orElseThrow();
        assertThat(metrics).containsPattern("gatewise_requests_seconds_count\\{[^}]*status=\"502\"[^}]*\\} 1\\b")
                .containsPattern("gatewise_proxy_errors_total\\{[^}]*error_type=\"connection_refused\"[^}]*\\} 1\\.0")
                .doesNotContainPattern("gatewise_requests_seconds_count\\{[^}]*status=\"200\"");
    }

    @Test
    void resetUpstreamIsUnavailableWithProxyStatus() throws Exception {
        SocketUpstream reset = SocketUpstream.start(Faults.resetAfterRequest());
        started.add(reset);
        ManagedChannel channel = throughGateway(reset.url());

        StatusRuntimeException failure = catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        FailureEvent event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        Metadata trailers = Status.trailersFromThrowable(failure);
        assertThat(trailers.get(PROXY_STATUS))
                .contains("error=" + event.failure().type().token());
        assertThat(failure.getStatus().getDescription()).contains(event.failure().incident());
    }

    @Test
    void operatorViewAddsWhyToTheMessage() throws Exception {
        String token = "operator-token-of-the-test";
        ManagedChannel channel = throughGateway(GatewayConfig.builder()
                .errorPages(ErrorPagesConfig.builder().operator(new ErrorPagesConfig.Operator().token(token)).build())
                .route(RouteConfig.builder().path(SERVICE).protocol("h2")
                        .upstream("http://127.0.0.1:" + ClosedPort.find()).build()));
        Metadata operator = new Metadata();
        operator.put(Metadata.Key.of(ErrorPagesConfig.TOKEN_HEADER, Metadata.ASCII_STRING_MARSHALLER), token);

        StatusRuntimeException visitor = catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));
        StatusRuntimeException operatorView = catchStatus(() -> blocking(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(operator)).unaryRpc(request("order 17")));

        assertThat(visitor.getStatus().getDescription()).doesNotContain("connection refused");
        assertThat(operatorView.getStatus().getDescription()).contains("connection_refused")
                .contains("connection refused");
        Metadata trailers = Status.trailersFromThrowable(operatorView);
        assertThat(trailers.get(PROXY_STATUS))
                .contains("next-hop=");
    }

    @Test
    void noRouteIsUnimplemented() throws Exception {
        ManagedChannel channel = throughGateway(GatewayConfig.builder()
                .gateway(ServerConfig.builder().noRouteStatus(404).build())
                .route(RouteConfig.builder().path("/other.Service/").upstream(upstream.url()).build()));

        StatusRuntimeException noRoute = catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));

        assertThat(noRoute.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(Status.trailersFromThrowable(noRoute).get(PROXY_STATUS)).contains("error=destination_not_found");
    }

    @Test
    void maintenanceIsUnavailable() throws Exception {
        ManagedChannel channel = throughGateway(GatewayConfig.builder()
                .route(RouteConfig.builder().path(SERVICE).maintenance(true).upstream(upstream.url()).build()));

        StatusRuntimeException maintenance = catchStatus(() -> blocking(channel).unaryRpc(request("order 17")));

        assertThat(maintenance.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Status.trailersFromThrowable(maintenance).get(PROXY_STATUS)).contains("error=destination_unavailable");
    }

    @Test
    void streamOutlastingTheResponseTimeoutIsNotCut() throws Exception {
        // The response timeout bounds a whole exchange; a stream is bounded by the idle timeout instead.
        ManagedChannel channel = throughGateway(GatewayConfig.builder().route(RouteConfig.builder().path(SERVICE)
                .protocol("h2").timeouts(TimeoutsConfig.builder().response(Duration.ofSeconds(1))
                        .idle(Duration.ofSeconds(10)).build())
                .upstream(upstream.url()).build()));

        List<String> parts = new ArrayList<>();
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverStreamingRpc(request("5/600")).forEachRemaining(part -> parts.add(part.getResponseMessage()));

        assertThat(parts).hasSize(5);
        assertThat(events).isEmpty();
    }

    @Test
    void upstreamStreamSilentForTheIdleTimeoutIsEnded() throws Exception {
        ManagedChannel channel = throughGateway(GatewayConfig.builder().route(RouteConfig.builder().path(SERVICE)
                .protocol("h2").timeouts(TimeoutsConfig.builder().idle(Duration.ofSeconds(1)).build())
                .upstream(upstream.url()).build()));

        StatusRuntimeException failure = catchStatus(() -> SimpleServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).serverStreamingRpc(request("2/5000")).forEachRemaining(p -> {
                }));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        FailureEvent event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(Status.trailersFromThrowable(failure).get(PROXY_STATUS))
                .contains("error=" + event.failure().type().token());
        assertThat(event.failure().type().token()).isEqualTo("connection_read_timeout");
    }

    @Test
    void callCancelledByItsClientCancelsTheUpstreamStream() throws Exception {
        ManagedChannel channel = throughGateway(upstream.url());

        StatusRuntimeException failure = catchStatus(() -> SimpleServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(1, TimeUnit.SECONDS).serverStreamingRpc(request("3/3000")).forEachRemaining(p -> {
                }));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(upstream.awaitCancelledStream(WAIT_SECONDS)).as("the upstream's stream cancelled").isTrue();
    }

    private static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private static StreamObserver<SimpleResponse> observer(java.util.function.Consumer<String> onMessage,
            java.util.function.Consumer<Throwable> onError) {
        return new StreamObserver<>() {
            @Override
            public void onNext(SimpleResponse response) {
                onMessage.accept(response.getResponseMessage());
            }

            @Override
            public void onError(Throwable failure) {
                onError.accept(failure);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
