package io.gatewise.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port with nothing listening, so a connect is refused at once. */
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
}
