package io.gatewise.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP server that answers each connection with a scripted {@link Behavior}: the raw
 * bytes of a response, or a misbehaviour that a real HTTP server would never show.
 *
 * <p>It reads the request head (up to the blank line) before running the behavior and keeps it,
 * so a test can see exactly what reached the upstream.
 */
public final class SocketUpstream implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket serverSocket;
    private final Behavior behavior;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** What the upstream does with one accepted connection. */
    @FunctionalInterface
    public interface Behavior {
        /**
         * @param socket the accepted connection; closed after the behavior returns
         * @param requestHead the request line and headers as received, or empty if the client sent
         *     none before closing
         * @throws IOException when the connection fails, which ends it
         * @throws InterruptedException when the upstream is closed while the behavior waits
         */
        void serve(Socket socket, String requestHead) throws IOException, InterruptedException;
    }

    private SocketUpstream(Behavior behavior) throws IOException {
        this.behavior = behavior;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger count = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "socket-upstream-" + serverSocket.getLocalPort() + "-"
                    + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::acceptLoop);
    }

    /**
     * Starts an upstream on a free loopback port.
     *
     * @param behavior what to do with each connection
     * @return the running upstream
     * @throws IOException if no port can be bound
     */
    public static SocketUpstream start(Behavior behavior) throws IOException {
        return new SocketUpstream(behavior);
    }

    /** @return the port it listens on */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:port}, its URL */
    public String url() {
        return "http://" + serverSocket.getInetAddress().getHostAddress() + ":" + port();
    }

    /** @return the request heads received so far, oldest first */
    public List<String> requestHeads() {
        return List.copyOf(requestHeads);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            open.add(socket);
            connections.execute(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String head = readHead(socket.getInputStream());
            requestHeads.add(head);
            behavior.serve(socket, head);
        } catch (IOException e) {
            // The peer went away: that ends this connection, nothing more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /**
     * Reads bytes up to and including the blank line that ends an HTTP request head.
     *
     * @param in the connection's input
     * @return the head as ISO-8859-1 text; what was read if the peer closed first
     * @throws IOException if the connection fails
     */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (head.length() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        return head.toString();
    }

    /**
     * Writes text as ISO-8859-1 bytes and flushes.
     *
     * @param socket the connection
     * @param text the bytes to send, one char per byte
     * @throws IOException if the connection fails
     */
    public static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing: nothing left to do with it.
            }
        }
        connections.shutdownNow();
    }

    @Override
    public String toString() {
        return "SocketUpstream[" + url() + "]";
    }
}
