package io.gatewise.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket scenarios' load client: N connections, each a closed loop of request and
 * response. A connection sends one binary message, waits for the whole echo, records the round
 * trip and sends the next, so N connections keep N messages in flight, as wrk's N connections
 * keep N requests. Connections are opened (handshake included) before the clock starts and closed
 * (close frames both ways) after it stops: the rate counts messages only.
 *
 * <p>It is as lean as wrk, so that on a small machine the proxy, not the client, takes the CPU:
 * one thread and one selector for all connections, non-blocking sockets, and each connection's
 * frame built once: a message is its sequence number written into the first 8 bytes of the
 * masked payload and one {@code write}. Each connection masks all its frames with one random key
 * of its own (RFC 6455 asks for a fresh key per frame, which no server can tell; the key only
 * guards browsers' connections against cache poisoning, and a fresh one would cost masking each
 * 16 KB message anew). The echo is read whole, fragments joined; its length and sequence number
 * are checked. An echo of the wrong length or number counts as a wrong echo ({@code non2xx} in
 * the harness's rows), a connection that fails or closes before the end as an error
 * ({@code socketErrors}). Pings are not expected and are skipped.
 *
 * <p>Not thread-safe: one run at a time, on the caller's thread.
 */
final class WebSocketLoad {
    /** Longest a connection may take to open, or the messages in flight to come back once the clock stops. */
    private static final long WAIT_SECONDS = 15;
    /** How long the close handshake of the connections may take after a run. */
    private static final long CLOSE_MILLIS = 2000;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte OP_CONTINUATION = 0x0;
    private static final byte OP_BINARY = 0x2;
    private static final byte OP_CLOSE = 0x8;

    /** The data frames the last run received, fragments counted one by one: above its messages when echoes came fragmented. */
    private long lastFrames;

    /**
     * @param uri the echo's URL, {@code ws://}
     * @param connections open connections, one message in flight on each
     * @param messageBytes each message's size (at least 8)
     * @param seconds how long to send
     * @return what the run measured, as the harness keeps it for every load tool: messages echoed
     *     per second, their count, the round trip's p50 and p99, connections that failed, wrong echoes
     * @throws IOException if a connection cannot be opened
     */
    Wrk.Result run(URI uri, int connections, int messageBytes, int seconds) throws IOException {
        if (messageBytes < 8) {
            throw new IllegalArgumentException("messages of at least 8 bytes carry their sequence number");
        }
        Latencies latencies = new Latencies();
        List<Connection> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    open.add(Connection.open(uri, new byte[messageBytes], false, selector));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                for (Connection connection : open) {
                    connection.send(selector);
                }
                loop(selector, open, deadline, latencies);
                for (Connection connection : open) {
                    if (!connection.done) {
                        // Its message never came back.
                        connection.failed = true;
                    }
                }
                lastFrames = open.stream().mapToLong(connection -> connection.dataFrames).sum();
                long[] sorted = latencies.sorted();
                return new Wrk.Result(sorted.length / (double) seconds, sorted.length,
                        percentileMillis(sorted, 0.50), percentileMillis(sorted, 0.99),
                        open.stream().filter(connection -> connection.failed).count(),
                        open.stream().mapToLong(connection -> connection.wrongEchoes).sum());
            } finally {
                closeAll(selector, open);
            }
        }
    }

    /** @return the data frames the last run received, fragments counted one by one, counted or not */
    long lastFrames() {
        return lastFrames;
    }

    /**
     * Runs the connections' loops until each has stopped: a message that comes back before the
     * deadline is counted and followed by the next; after it, a connection stops once its message
     * is back. Bounded by {@link #WAIT_SECONDS} past the deadline.
     */
    private static void loop(Selector selector, List<Connection> open, long deadline, Latencies latencies)
            throws IOException {
        long hardEnd = deadline + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        int running = open.size();
        while (running > 0) {
            long now = System.nanoTime();
            if (now >= hardEnd) {
                return;
            }
            selector.select(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(hardEnd - now))));
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                if (connection.done) {
                    continue;
                }
                try {
                    if (key.isValid() && key.isWritable()) {
                        connection.flush(selector);
                    }
                    if (key.isValid() && key.isReadable()) {
                        int echoes = connection.read();
                        if (echoes > 0) {
                            long received = System.nanoTime();
                            if (received <= deadline) {
                                latencies.add(received - connection.sentNanos);
                                connection.send(selector);
                            } else {
                                connection.done = true;
                                running--;
                                key.interestOps(0);
                            }
                        }
                    }
                } catch (IOException e) {
                    connection.failed = true;
                    connection.done = true;
                    running--;
                    key.cancel();
                }
            }
        }
    }

    /**
     * @param uri the echo's URL through a target
     * @param messageBytes the scenario's message size
     * @return null if a message of random bytes came back whole and unchanged on a new connection,
     *     else what went wrong
     */
    String check(URI uri, int messageBytes) {
        byte[] sent = new byte[messageBytes];
        ThreadLocalRandom.current().nextBytes(sent);
        try (Selector selector = Selector.open()) {
            Connection connection = null;
            try {
                connection = Connection.open(uri, sent, true, selector);
                connection.send(selector);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (connection.received == null) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return "no echo within " + WAIT_SECONDS + " s";
                    }
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    selector.selectedKeys().clear();
                    connection.flush(selector);
                    connection.read();
                }
                return Arrays.equals(sent, connection.received) ? null : "the echo of " + messageBytes
                        + " random bytes came back as " + connection.received.length + " other bytes";
            } finally {
                if (connection != null) {
                    connection.done = true;
                    closeAll(selector, List.of(connection));
                }
            }
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Sends each open connection a close frame, waits a little for the echo's, then closes the sockets. */
    private static void closeAll(Selector selector, List<Connection> open) {
        List<Connection> closing = new ArrayList<>();
        for (Connection connection : open) {
            if (connection.channel.isOpen() && !connection.failed) {
                try {
                    connection.sendClose();
                    closing.add(connection);
                } catch (IOException e) {
                    connection.closeQuietly();
                }
            } else {
                connection.closeQuietly();
            }
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_MILLIS);
        try {
            while (closing.stream().anyMatch(connection -> !connection.closeReceived)
                    && System.nanoTime() < end) {
                selector.select(10);
                selector.selectedKeys().clear();
                for (Connection connection : closing) {
                    if (!connection.closeReceived) {
                        try {
                            connection.read();
                        } catch (IOException e) {
                            connection.closeReceived = true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // Closed below either way.
        }
        closing.forEach(Connection::closeQuietly);
    }

    /** @return the percentile of sorted round trips in nanoseconds, in milliseconds; NaN for none */
    static double percentileMillis(long[] sortedNanos, double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
    }

    /**
     * @param payloadLength a frame's payload length
     * @param masked whether the frame carries a masking key (a client's frames do)
     * @return the length of its header
     */
    static int headerLength(long payloadLength, boolean masked) {
        int length = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /**
     * @param opCode the frame's opcode
     * @param payload its payload, unmasked
     * @param mask the masking key, 4 bytes
     * @return a whole, final client frame: header, key and masked payload, ready to write
     */
    static ByteBuffer clientFrame(byte opCode, byte[] payload, byte[] mask) {
        int header = headerLength(payload.length, true);
        ByteBuffer frame = ByteBuffer.allocateDirect(header + payload.length);
        frame.put((byte) (0x80 | opCode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }

    /** Round trips in nanoseconds, as they come. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int count;

        void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }

        long[] sorted() {
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** One connection: its frame to send, what it has read, and where its loop is. */
    private static final class Connection {
        final SocketChannel channel;
        private final ByteBuffer frame;
        private final int payloadOffset;
        private final byte[] mask;
        private final int messageBytes;
        /** Whether to keep each echoed message's bytes (the check); else only its length and number. */
        private final boolean keep;
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private SelectionKey key;
        long sequence;
        long sentNanos;
        long wrongEchoes;
        /** Data frames received, each fragment of a message one. */
        long dataFrames;
        boolean done;
        boolean failed;
        boolean closeReceived;
        /** The last message echoed, when kept. */
        byte[] received;
        // The frame being read: its opcode, whether it ends its message, and the payload bytes still to come.
        private boolean inFrame;
        private byte frameOpCode;
        private boolean frameFin;
        private long frameLeft;
        // The message being read: its length so far, its first 8 bytes (the sequence number), and its bytes if kept.
        private long messageLength;
        private long messageSequence;
        /** The messages completed by the current {@link #read()}. */
        private int completed;
        private java.io.ByteArrayOutputStream messageBytesKept;

        private Connection(SocketChannel channel, byte[] payload, boolean keep) {
            this.channel = channel;
            this.mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            this.frame = clientFrame(OP_BINARY, payload, mask);
            this.payloadOffset = headerLength(payload.length, true);
            this.messageBytes = payload.length;
            this.keep = keep;
        }

        /**
         * Opens a connection and makes the WebSocket handshake, blocking, then registers it for
         * reading.
         *
         * @param payload the message it sends (its first 8 bytes are overwritten with the sequence
         *     number unless {@code keep})
         */
        static Connection open(URI uri, byte[] payload, boolean keep, Selector selector) throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                Connection connection = new Connection(channel, payload, keep);
                connection.handshake(uri);
                channel.configureBlocking(false);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                return connection;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        private void handshake(URI uri) throws IOException {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.socket().setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            InputStream stream = channel.socket().getInputStream();
            byte[] chunk = new byte[4096];
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            int end;
            while ((end = headEnd(head.toByteArray())) < 0) {
                int read = stream.read(chunk);
                if (read < 0) {
                    throw new IOException("the handshake's answer ended early: "
                            + firstLine(head.toString(StandardCharsets.ISO_8859_1)));
                }
                head.write(chunk, 0, read);
                if (head.size() > 64 * 1024) {
                    throw new IOException("the handshake's answer has no end of head");
                }
            }
            byte[] bytes = head.toByteArray();
            String answer = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            if (!answer.startsWith("HTTP/1.1 101")) {
                throw new IOException("the upgrade was answered " + firstLine(answer));
            }
            String accept = header(answer, "sec-websocket-accept");
            if (!accept(key).equals(accept)) {
                throw new IOException("Sec-WebSocket-Accept " + accept + " does not answer the key");
            }
            // Frames that came with the head are read with the rest.
            in.put(bytes, end, bytes.length - end);
        }

        /** @return the index just past the head's blank line, or -1 */
        private static int headEnd(byte[] bytes) {
            for (int i = 3; i < bytes.length; i++) {
                if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        private static String firstLine(String text) {
            int line = text.indexOf('\r');
            return line < 0 ? text : text.substring(0, line);
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        private static String accept(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1")
                        .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends the next message: its number into the masked payload, then as much as the socket takes. */
        void send(Selector selector) throws IOException {
            sequence++;
            if (!keep) {
                for (int i = 0; i < 8; i++) {
                    frame.put(payloadOffset + i, (byte) ((sequence >>> (56 - 8 * i)) ^ mask[i & 3]));
                }
            }
            frame.clear();
            sentNanos = System.nanoTime();
            flush(selector);
        }

        /** Writes what is left of the frame; waits for the socket to be writable when it takes only part. */
        void flush(Selector selector) throws IOException {
            if (!frame.hasRemaining()) {
                return;
            }
            channel.write(frame);
            int interest = frame.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != interest) {
                key.interestOps(interest);
            }
        }

        void sendClose() throws IOException {
            ByteBuffer close = clientFrame(OP_CLOSE, new byte[] {0x03, (byte) 0xE8}, mask);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_MILLIS);
            while (close.hasRemaining() && System.nanoTime() < end) {
                channel.write(close);
            }
        }

        /**
         * Reads what the socket has and takes the frames in it.
         *
         * @return the messages completed (0 or 1: one is in flight)
         * @throws IOException if the socket ends or fails, a close frame comes during the run, or a
         *     frame breaks the protocol
         */
        int read() throws IOException {
            int read = channel.read(in);
            if (read < 0) {
                if (closeReceived) {
                    return 0;
                }
                throw new IOException("the connection ended without a close frame");
            }
            in.flip();
            completed = 0;
            try {
                while (true) {
                    if (!inFrame) {
                        if (!readHeader()) {
                            break;
                        }
                        continue;
                    }
                    if (frameOpCode >= OP_CLOSE) {
                        // A control frame: taken whole (at most 125 bytes).
                        if (in.remaining() < frameLeft) {
                            break;
                        }
                        in.position(in.position() + (int) frameLeft);
                        inFrame = false;
                        if (frameOpCode == OP_CLOSE) {
                            closeReceived = true;
                            if (!done) {
                                throw new IOException("the echo closed the connection during the run");
                            }
                            return completed;
                        }
                        continue;
                    }
                    int take = (int) Math.min(frameLeft, in.remaining());
                    if (take == 0 && frameLeft > 0) {
                        break;
                    }
                    payload(take);
                    frameLeft -= take;
                    if (frameLeft == 0) {
                        inFrame = false;
                        if (frameFin) {
                            messageEnded();
                        }
                    }
                }
            } finally {
                in.compact();
            }
            return completed;
        }

        /** @return whether a whole frame header was there, and was taken */
        private boolean readHeader() throws IOException {
            if (in.remaining() < 2) {
                return false;
            }
            int at = in.position();
            byte first = in.get(at);
            byte second = in.get(at + 1);
            if ((second & 0x80) != 0) {
                throw new IOException("a masked frame from the server");
            }
            int length7 = second & 0x7F;
            int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
            if (in.remaining() < header) {
                return false;
            }
            frameLeft = length7 < 126 ? length7 : length7 == 126 ? in.getShort(at + 2) & 0xFFFF : in.getLong(at + 2);
            frameFin = (first & 0x80) != 0;
            frameOpCode = (byte) (first & 0x0F);
            if (frameOpCode < OP_CLOSE) {
                dataFrames++;
            }
            if (frameOpCode != OP_CONTINUATION && frameOpCode < OP_CLOSE) {
                // The first frame of a message.
                messageLength = 0;
                messageSequence = 0;
                if (keep) {
                    messageBytesKept = new java.io.ByteArrayOutputStream();
                }
            }
            in.position(at + header);
            inFrame = true;
            if (frameLeft == 0 && frameOpCode < OP_CLOSE) {
                inFrame = false;
                if (frameFin) {
                    messageEnded();
                }
            }
            return true;
        }

        /** Takes {@code take} payload bytes of a data frame: the first 8 of a message are its number. */
        private void payload(int take) {
            int at = in.position();
            for (long i = messageLength; i < 8 && i < messageLength + take; i++) {
                messageSequence = (messageSequence << 8) | (in.get(at + (int) (i - messageLength)) & 0xFF);
            }
            if (keep) {
                byte[] bytes = new byte[take];
                in.get(at, bytes);
                messageBytesKept.write(bytes, 0, take);
            }
            messageLength += take;
            in.position(at + take);
        }

        /** A message came back whole: counted as wrong if its length or number is not the one sent. */
        private void messageEnded() {
            completed++;
            if (messageLength != messageBytes || (!keep && messageSequence != sequence)) {
                wrongEchoes++;
            }
            if (keep) {
                received = messageBytesKept.toByteArray();
            }
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do.
            }
        }
    }
}
