package io.gatewise.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that answers every request with its own name, so a test sees which upstream served
 * it, and counts what it served. It reads the request body first.
 */
public final class NamedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final transient AtomicInteger served = new AtomicInteger();

    /** @param name what it answers with */
    public NamedServlet(String name) {
        this.name = name;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        served.incrementAndGet();
        request.getInputStream().readAllBytes();
        response.getWriter().print(name);
    }

    /** @return how many requests it served */
    public int served() {
        return served.get();
    }
}
