package io.gatewise.testing;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real grpc-java server on a free port of 127.0.0.1 serving {@code grpc.testing.SimpleService}:
 * every call kind echoes what it is sent (a server-streaming call sends the number of parts its
 * message asks for, {@code 5} or {@code 5/300} with 300 ms between them), and a request message
 * starting with {@code fail:} ends
 * the call with {@code INVALID_ARGUMENT}, a custom trailer and {@code grpc-status-details-bin},
 * before any message (a trailers-only response). It notes when a caller cancels a
 * server-streaming call.
 */
public final class GrpcUpstream implements AutoCloseable {
    /** A custom trailer the failing call sends. */
    public static final Metadata.Key<String> CUSTOM_TRAILER = Metadata.Key.of("x-order-state",
            Metadata.ASCII_STRING_MARSHALLER);
    /** The rich-error trailer, binary. */
    public static final Metadata.Key<byte[]> STATUS_DETAILS = Metadata.Key.of("grpc-status-details-bin",
            Metadata.BINARY_BYTE_MARSHALLER);
    /** What the failing call puts in {@link #STATUS_DETAILS}: bytes no text header could carry. */
    public static final byte[] DETAILS = {0, 1, 2, (byte) 0xFE, (byte) 0xFF, 10, 13};

    private final Server server;
    private final CountDownLatch cancelled;

    private GrpcUpstream(Server server, EchoService service) {
        this.server = server;
        this.cancelled = service.cancelled;
    }

    /**
     * @return the started server
     * @throws IOException if it cannot bind
     */
    public static GrpcUpstream start() throws IOException {
        EchoService service = new EchoService();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service).build().start();
        return new GrpcUpstream(server, service);
    }

    /**
     * @param key the server's private key
     * @param chain its certificate chain, the leaf first
     * @return the started server, speaking h2 over TLS, chosen by ALPN
     * @throws IOException if it cannot bind or the key does not fit
     */
    public static GrpcUpstream startTls(PrivateKey key, List<X509Certificate> chain) throws IOException {
        EchoService service = new EchoService();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(key,
                        chain.toArray(new X509Certificate[0]))).build())
                .addService(service).build().start();
        return new GrpcUpstream(server, service);
    }

    /**
     * @param seconds how long to wait
     * @return whether a server-streaming call was cancelled by its caller within that time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitCancelledStream(long seconds) throws InterruptedException {
        return cancelled.await(seconds, TimeUnit.SECONDS);
    }

    /** @return its port */
    public int port() {
        return server.getPort();
    }

    /** @return its URL for a route, cleartext */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static SimpleResponse reply(String text) {
        return SimpleResponse.newBuilder().setResponseMessage(text).build();
    }

    /** @return whether the message asked for a failure, which has then been sent */
    private static boolean failed(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        if (!request.getRequestMessage().startsWith("fail:")) {
            return false;
        }
        Metadata trailers = new Metadata();
        trailers.put(CUSTOM_TRAILER, "rejected");
        trailers.put(STATUS_DETAILS, DETAILS);
        responses.onError(Status.INVALID_ARGUMENT.withDescription("bad order: "
                + request.getRequestMessage().substring("fail:".length())).asRuntimeException(trailers));
        return true;
    }

    private static final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
        private final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            if (!failed(request, responses)) {
                responses.onNext(reply("echo " + request.getRequestMessage()));
                responses.onCompleted();
            }
        }

        @Override
        public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            if (failed(request, responses)) {
                return;
            }
            ((ServerCallStreamObserver<SimpleResponse>) responses).setOnCancelHandler(cancelled::countDown);
            // "count" or "count/pause in milliseconds between parts".
            String[] spec = request.getRequestMessage().split("/");
            int count = Integer.parseInt(spec[0]);
            long pauseMillis = spec.length > 1 ? Long.parseLong(spec[1]) : 0;
            for (int i = 1; i <= count; i++) {
                if (pauseMillis > 0) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        responses.onError(e);
                        return;
                    }
                }
                responses.onNext(reply("part " + i));
            }
            responses.onCompleted();
        }

        @Override
        public StreamObserver<SimpleRequest> clientStreamingRpc(StreamObserver<SimpleResponse> responses) {
            List<String> received = new ArrayList<>();
            return new StreamObserver<>() {
                @Override
                public void onNext(SimpleRequest request) {
                    received.add(request.getRequestMessage());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onNext(reply(String.join("+", received)));
                    responses.onCompleted();
                }
            };
        }

        @Override
        public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SimpleRequest request) {
                    responses.onNext(reply("echo " + request.getRequestMessage()));
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }

}
