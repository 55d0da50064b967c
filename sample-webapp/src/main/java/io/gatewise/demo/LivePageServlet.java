package io.gatewise.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The demo upstream's live page at {@code /live/}: a self-contained HTML page (live.html, next to
 * this class) that talks to {@link LiveEchoEndpoint} through the gateway.
 */
public final class LivePageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] PAGE = load();

    private static byte[] load() {
        try (InputStream page = LivePageServlet.class.getResourceAsStream("live.html")) {
            if (page == null) {
                throw new IllegalStateException("live.html is missing from the demo");
            }
            return page.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(PAGE.length);
        response.getOutputStream().write(PAGE);
    }
}
