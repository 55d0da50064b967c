package io.gatewise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A client that writes HTTP by hand on a raw loopback socket, so it can misbehave in ways an HTTP
 * client library would not, and reads back what the gateway answered, byte for byte.
 */
public final class RawClient implements AutoCloseable {
    private static final int DEADLINE_MILLIS = 10_000;

    private final Socket socket;

    private RawClient(Socket socket) {
        this.socket = socket;
    }

    /**
     * @param port a port on 127.0.0.1
     * @return a connected client whose reads give up after 10 seconds
     * @throws IOException if it cannot connect
     */
    public static RawClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(DEADLINE_MILLIS);
        return new RawClient(socket);
    }

    /**
     * @param text bytes to send, one char per byte
     * @return this client
     * @throws IOException if the connection fails
     */
    public RawClient send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads one response: its head, then as many body bytes as its {@code Content-Length} says
     * (none for a 1xx interim response or without the header).
     *
     * @return the response as ISO-8859-1 text
     * @throws IOException if the connection fails or closes first
     */
    public String readResponse() throws IOException {
        String head = readHead();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        if (head.startsWith("HTTP/1.1 1")) {
            return head;
        }
        byte[] body = socket.getInputStream().readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    /**
     * @return bytes up to and including the blank line that ends a response head
     * @throws IOException if the connection fails or closes first
     */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.size() + " bytes: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** @return the socket, for what this class does not cover */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
