package io.gatewise.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC scenario's upstream: a grpc-java server (Netty, plaintext HTTP/2) on 127.0.0.1 whose
 * {@code grpc.testing.SimpleService/UnaryRpc} answers each request with its message, headers,
 * one message and trailers ({@code grpc-status: 0}) as every gRPC server does. It runs inside the
 * harness's JVM, which waits while the load runs, and counts the calls it answered: a proxy whose
 * 2xx answers did not come from here (a gRPC error in a 200, say) is caught by the count.
 */
final class GrpcUpstream implements AutoCloseable {
    /** The method's path, as a client sends it. */
    static final String PATH = "/" + SimpleServiceGrpc.SERVICE_NAME + "/UnaryRpc";
    /** The route prefix a proxy sends to this upstream. */
    static final String PREFIX = "/" + SimpleServiceGrpc.SERVICE_NAME + "/";
    static final String MESSAGE = "hello from the load harness";
    /**
     * grpc-java's own log, held so that its level stays: quiet but for severe problems. Each run
     * ends with h2load dropping its connections, which cancels the calls in flight, and Netty
     * logs a stream error with a stack trace for each.
     */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    static {
        GRPC_LOG.setLevel(Level.SEVERE);
    }

    private final Server server;
    private final AtomicLong calls = new AtomicLong();

    private GrpcUpstream() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .directExecutor()
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
                        calls.incrementAndGet();
                        response.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage())
                                .build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    /** @return a started upstream on a free port of 127.0.0.1 */
    static GrpcUpstream start() throws IOException {
        return new GrpcUpstream();
    }

    int port() {
        return server.getPort();
    }

    /** @return the calls answered so far */
    long calls() {
        return calls.get();
    }

    /**
     * Writes the body h2load POSTs: one uncompressed gRPC message, a flag byte and a 4-byte length
     * before the protobuf {@code SimpleRequest}.
     *
     * @return the file
     */
    static Path writeRequestBody(Path folder) throws IOException {
        byte[] message = SimpleRequest.newBuilder().setRequestMessage(MESSAGE).build().toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(ByteBuffer.allocate(4).putInt(message.length).array());
        body.write(message);
        Path file = folder.resolve("grpc-request.bin");
        Files.write(file, body.toByteArray());
        return file;
    }

    /**
     * One call with grpc-java's own client through a proxy, h2c with prior knowledge.
     *
     * @param port the proxy's HTTP/2 port
     * @return the answer's message
     * @throws io.grpc.StatusRuntimeException if the call did not end with status OK
     */
    static String call(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(MESSAGE).build()).getResponseMessage();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
