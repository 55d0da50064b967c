package io.gatewise.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c server on a free port of 127.0.0.1 written frame by frame, to misbehave exactly as a test
 * asks: it reads the client's preface and frames, settles SETTINGS and PING, and hands each
 * request's HEADERS to a {@link Behavior}, which can reset the stream, send {@code GOAWAY}, or
 * answer with header and trailer sections of any size.
 */
public final class RawH2Upstream implements AutoCloseable {
    /** RFC 9113 error codes. */
    public static final int NO_ERROR = 0x0;
    /** RFC 9113 error codes. */
    public static final int PROTOCOL_ERROR = 0x1;
    /** RFC 9113 error codes. */
    public static final int INTERNAL_ERROR = 0x2;
    /** RFC 9113 error codes. */
    public static final int REFUSED_STREAM = 0x7;
    /** RFC 9113 error codes. */
    public static final int ENHANCE_YOUR_CALM = 0xb;

    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int CONTINUATION = 0x9;
    private static final int MAX_FRAME = 16_384;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PREFACE_LENGTH = 24;

    private final ServerSocket server;
    private final Behavior behavior;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** What the server does with a request. */
    @FunctionalInterface
    public interface Behavior {
        /**
         * @param frames writes frames to the client
         * @param streamId the request's stream
         * @param request how many requests came before this one, on every connection
         * @return whether to close the connection afterwards
         * @throws IOException if writing fails
         */
        boolean onRequest(Frames frames, int streamId, int request) throws IOException;
    }

    private RawH2Upstream(Behavior behavior) throws IOException {
        this.behavior = behavior;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /**
     * @param behavior what it does with each request
     * @return the started server
     * @throws IOException if it cannot bind
     */
    public static RawH2Upstream start(Behavior behavior) throws IOException {
        return new RawH2Upstream(behavior);
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** @return how many requests it has received */
    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readFully(new byte[PREFACE_LENGTH]);
            Frames frames = new Frames(socket.getOutputStream());
            frames.write(SETTINGS, 0, 0, new byte[0]);
            while (true) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int streamId = in.readInt() & 0x7FFFFFFF;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    frames.write(SETTINGS, ACK, 0, new byte[0]);
                } else if (type == PING && (flags & ACK) == 0) {
                    frames.write(PING, ACK, 0, payload);
                } else if (type == HEADERS && behavior.onRequest(frames, streamId, requests.getAndIncrement())) {
                    return;
                }
            }
        } catch (IOException gone) {
            // The client closed the connection, or the behavior did.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** Writes frames; a header block is HPACK literals without indexing or Huffman coding. */
    public static final class Frames {
        private final OutputStream out;

        Frames(OutputStream out) {
            this.out = out;
        }

        /**
         * @param streamId the stream
         * @param errorCode the RFC 9113 error code
         * @throws IOException if writing fails
         */
        public void reset(int streamId, int errorCode) throws IOException {
            write(RST_STREAM, 0, streamId, int32(errorCode));
        }

        /**
         * @param lastStreamId the last stream the server says it processed or may process
         * @param errorCode the RFC 9113 error code
         * @throws IOException if writing fails
         */
        public void goAway(int lastStreamId, int errorCode) throws IOException {
            byte[] payload = new byte[8];
            System.arraycopy(int32(lastStreamId), 0, payload, 0, 4);
            System.arraycopy(int32(errorCode), 0, payload, 4, 4);
            write(GOAWAY, 0, 0, payload);
        }

        /**
         * Answers 200 with a body and a trailer section.
         *
         * @param streamId the stream
         * @param body the body
         * @param trailers trailer names and values, alternating
         * @throws IOException if writing fails
         */
        public void answer(int streamId, String body, String... trailers) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(0x88); // :status 200, indexed
            literal(head, "content-type", "text/plain");
            write(HEADERS, END_HEADERS, streamId, head.toByteArray());
            write(DATA, trailers.length == 0 ? END_STREAM : 0, streamId, body.getBytes(StandardCharsets.UTF_8));
            if (trailers.length > 0) {
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                for (int i = 0; i < trailers.length; i += 2) {
                    literal(block, trailers[i], trailers[i + 1]);
                }
                headerBlock(streamId, block.toByteArray());
            }
        }

        /** A trailer section, split into HEADERS and CONTINUATION frames of the default largest size. */
        private void headerBlock(int streamId, byte[] block) throws IOException {
            int first = Math.min(block.length, MAX_FRAME);
            write(HEADERS, END_STREAM | (first == block.length ? END_HEADERS : 0), streamId,
                    java.util.Arrays.copyOfRange(block, 0, first));
            for (int offset = first; offset < block.length; offset += MAX_FRAME) {
                int end = Math.min(block.length, offset + MAX_FRAME);
                write(CONTINUATION, end == block.length ? END_HEADERS : 0, streamId,
                        java.util.Arrays.copyOfRange(block, offset, end));
            }
        }

        private static void literal(ByteArrayOutputStream block, String name, String value) {
            block.write(0x00);
            string(block, name);
            string(block, value);
        }

        private static void string(ByteArrayOutputStream block, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            // HPACK integer with a 7-bit prefix, Huffman bit 0.
            int length = bytes.length;
            if (length < 127) {
                block.write(length);
            } else {
                block.write(127);
                length -= 127;
                while (length >= 128) {
                    block.write(length % 128 + 128);
                    length /= 128;
                }
                block.write(length);
            }
            block.write(bytes, 0, bytes.length);
        }

        private static byte[] int32(int value) {
            return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        }

        synchronized void write(int type, int flags, int streamId, byte[] payload) throws IOException {
            byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8),
                (byte) streamId};
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }
}
