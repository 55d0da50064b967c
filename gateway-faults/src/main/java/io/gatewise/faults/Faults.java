package io.gatewise.faults;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * Behaviors for a {@link SocketUpstream}, one per way an upstream can fail after accepting a
 * connection. Each waits at most until the upstream is closed.
 */
public final class Faults {
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private Faults() {
    }

    /** @return a behavior that reads the request and closes without sending a byte */
    public static SocketUpstream.Behavior closeWithoutResponse() {
        return (socket, head) -> {
        };
    }

    /** @return a behavior that reads the request and resets the connection (linger 0) */
    public static SocketUpstream.Behavior resetAfterRequest() {
        return (socket, head) -> socket.setSoLinger(true, 0);
    }

    /** @return a behavior that answers with bytes that are not an HTTP status line */
    public static SocketUpstream.Behavior garbage() {
        return (socket, head) -> SocketUpstream.write(socket, "SSH-2.0-OpenSSH_9.2\r\nthis is not HTTP\r\n\r\n");
    }

    /**
     * @param bytes roughly how large the response header section is
     * @return a behavior that answers with one header larger than most limits
     */
    public static SocketUpstream.Behavior oversizedHeaders(int bytes) {
        return (socket, head) -> SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nX-Large: " + "x".repeat(bytes)
                + "\r\nContent-Length: 2\r\n\r\nok");
    }

    /** @return a behavior that reads the request and never answers */
    public static SocketUpstream.Behavior noResponse() {
        return (socket, head) -> NEVER.await();
    }

    /**
     * @param declaredLength the {@code Content-Length} announced
     * @return a behavior that sends headers and half the body, then stalls without closing
     */
    public static SocketUpstream.Behavior stalledBody(int declaredLength) {
        return (socket, head) -> {
            SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + declaredLength + "\r\n\r\n" + "s".repeat(declaredLength / 2));
            NEVER.await();
        };
    }

    /**
     * @param declaredLength the {@code Content-Length} announced
     * @return a behavior that sends headers and half the body, then closes the connection
     */
    public static SocketUpstream.Behavior truncatedBody(int declaredLength) {
        return (socket, head) -> SocketUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + declaredLength + "\r\n\r\n" + "t".repeat(declaredLength / 2));
    }

    /**
     * @param status the status to answer with, such as 500 or 503
     * @param body a short text body
     * @return a behavior that answers a well-formed error response of its own
     */
    public static SocketUpstream.Behavior status(int status, String body) {
        return (socket, head) -> SocketUpstream.write(socket, "HTTP/1.1 " + status + " Upstream Says So\r\n"
                + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body);
    }

    /**
     * @param raw the exact response bytes, one char per byte
     * @return a behavior that answers with exactly these bytes and closes
     */
    public static SocketUpstream.Behavior raw(String raw) {
        return (socket, head) -> SocketUpstream.write(socket, raw);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
    }
}
