package io.gatewise.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose SYNs go unanswered, as behind a firewall that drops packets: a listener
 * with the smallest accept backlog that never accepts, with its queue filled by connections of
 * its own. A further connect waits until the connecting side's timeout.
 */
public final class BlackholeUpstream implements AutoCloseable {
    private static final int FILLERS = 8;

    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    private BlackholeUpstream() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
        // Fill the accept queue; once it is full the kernel drops further SYNs. Fillers that fail to
        // connect (the queue was already full) are expected.
        for (int i = 0; i < FILLERS; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address, 200);
                fillers.add(filler);
            } catch (IOException e) {
                Faults.closeQuietly(filler);
            }
        }
    }

    /**
     * @return a black-holed loopback port
     * @throws IOException if no port can be bound
     */
    public static BlackholeUpstream start() throws IOException {
        return new BlackholeUpstream();
    }

    /** @return the port */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:port} */
    public String url() {
        return "http://" + listener.getInetAddress().getHostAddress() + ":" + port();
    }

    @Override
    public void close() {
        fillers.forEach(Faults::closeQuietly);
        try {
            listener.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
    }
}
