package io.gatewise.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that holds a request for {@code /first} until the test releases it (10 s at most),
 * and answers every request with its path: a request kept in flight on demand.
 */
public final class HoldingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient CountDownLatch firstArrived;
    private final transient CountDownLatch release;

    /**
     * @param firstArrived counted down when {@code /first} arrives
     * @param release lets {@code /first} answer when counted down
     */
    public HoldingServlet(CountDownLatch firstArrived, CountDownLatch release) {
        this.firstArrived = firstArrived;
        this.release = release;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/first".equals(request.getRequestURI())) {
            firstArrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.getWriter().print(request.getRequestURI());
    }
}
