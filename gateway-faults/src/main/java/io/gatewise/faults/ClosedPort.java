package io.gatewise.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A loopback port with nothing listening, so a connect is refused at once; and how to wait for one. */
public final class ClosedPort {
    private ClosedPort() {
    }

    /** The sockets that hold the ports handed out, for the life of the JVM. */
    private static final List<Socket> HELD = new ArrayList<>();

    /**
     * Finds a loopback port that refuses connections and stays so: a socket bound to it, never
     * listening, holds it for the life of the JVM, so no server started later (on port 0, say)
     * can be given the same port. Nothing listens there, so a connect is refused at once.
     *
     * @return the port
     * @throws IOException if no port can be bound
     */
    public static int find() throws IOException {
        Socket holder = new Socket();
        try {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            holder.close();
            throw e;
        }
        synchronized (HELD) {
            HELD.add(holder);
        }
        return holder.getLocalPort();
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
