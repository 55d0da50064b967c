package io.gatewise.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** A loopback port with nothing listening, so a connect is refused at once; and how to wait for one. */
public final class ClosedPort {
    private ClosedPort() {
    }

    /**
     * Finds a loopback port that was free a moment ago and is closed now. Another process could
     * take it in between; on a test machine that is rare, and it would show as a different failure.
     *
     * @return the port
     * @throws IOException if no port can be bound to find one
     */
    public static int find() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until a loopback port refuses connections: the server on it stopped accepting.
     *
     * @param port the port
     * @param deadline how long to wait
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError if the port still accepts connections at the deadline
     */
    public static void awaitRefusing(int port, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                if (socket.getLocalPort() == port) {
                    return; // connected to itself: nothing listens there any more
                }
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("port " + port + " still accepts connections after " + deadline);
    }
}
