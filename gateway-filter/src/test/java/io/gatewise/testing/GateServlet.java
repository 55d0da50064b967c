package io.gatewise.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that holds every request until the test opens the gate (20 s at most), then answers
 * {@code done}: requests kept in flight on demand, counted as they arrive.
 */
public final class GateServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient CountDownLatch arrived;
    private final transient CountDownLatch open = new CountDownLatch(1);

    /** @param requests how many requests {@link #awaitArrived} waits for */
    public GateServlet(int requests) {
        this.arrived = new CountDownLatch(requests);
    }

    /**
     * @param seconds how long to wait
     * @return whether all the requests it waits for have arrived in that time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitArrived(long seconds) throws InterruptedException {
        return arrived.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets every request held, and every later one, answer. */
    public void open() {
        open.countDown();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        arrived.countDown();
        try {
            open.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        response.getWriter().print("done");
    }
}
