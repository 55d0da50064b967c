package io.gatewise.answer;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What a connection can carry after the gateway answers a request itself, before its body was
 * read (a route in maintenance, no route, a rejection, a failure while the body streamed, an admin
 * action refused).
 *
 * <p>The connection can carry the next request only once this request's body has been read to its
 * end. Whatever of it has already arrived is read and dropped, up to {@link #DISCARD_LIMIT} bytes,
 * without waiting for more; if the body then has not ended, the answer says
 * {@code Connection: close}, so a keep-alive client opens a new connection for its next request
 * instead of losing it on one the server closes after the answer. Nothing waits for a body still
 * on its way: a slow client holds no thread for it.
 */
public final class UnreadBodies {
    /** The most bytes of an unread body dropped to keep its connection open. */
    static final int DISCARD_LIMIT = 64 * 1024;

    private UnreadBodies() {
    }

    /**
     * Drops what has arrived of the request's unread body, or marks the response
     * {@code Connection: close}. Call before the answer is committed.
     *
     * @param request the request being answered
     * @param response its response, not yet committed
     */
    public static void settle(HttpServletRequest request, HttpServletResponse response) {
        // Over HTTP/2 an unread body ends with its stream, and the connection carries on: nothing to settle.
        if (response.isCommitted() || !request.getProtocol().startsWith("HTTP/1") || bodyEnded(request)) {
            return;
        }
        response.setHeader("Connection", "close");
    }

    /** @return whether the request's body has been read to its end, after dropping what had arrived of it */
    private static boolean bodyEnded(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length == 0 || length < 0 && request.getHeader("Transfer-Encoding") == null) {
            // An HTTP/1.1 request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112,
            // 6.3): nothing is unread, whoever owns the stream (the proxy's read listener on a GET).
            return true;
        }
        ServletInputStream in;
        try {
            in = request.getInputStream();
        } catch (IllegalStateException | IOException e) {
            // Read through getReader() by someone else, or the connection failed: how much is left cannot be known.
            return false;
        }
        if (in.isFinished()) {
            return true;
        }
        if (request.isAsyncStarted()) {
            // A read listener may own the stream (the body streams to the upstream): reading here would race it.
            return false;
        }
        try {
            byte[] buffer = new byte[4096];
            int dropped = 0;
            int available;
            while (!in.isFinished() && dropped < DISCARD_LIMIT && (available = in.available()) > 0) {
                int read = in.read(buffer, 0, Math.min(buffer.length, Math.min(available, DISCARD_LIMIT - dropped)));
                if (read < 0) {
                    break;
                }
                dropped += read;
            }
            // The container learns the body ended only from a read past it: with its whole declared length
            // dropped, that read returns at once.
            return in.isFinished() || dropped == request.getContentLengthLong() && in.read() < 0;
        } catch (IOException e) {
            return false;
        }
    }
}
