package io.gatewise.proxy;

import io.gatewise.metrics.ExchangeObserver;
import io.gatewise.metrics.MetricNames;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reports each request the proxy servlet answered to the {@link ExchangeObserver}, once its answer
 * is complete: at the end of {@code service} for one answered there (a rejection, a client error),
 * or when its asynchronous cycle completes for one that went to an upstream, however it ended (the
 * upstream's answer, the gateway's error page, a client that left).
 */
final class AnsweredRequests implements AsyncListener {
    private final ExchangeObserver observer;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final long startNanos;

    private AnsweredRequests(ExchangeObserver observer, HttpServletRequest request, HttpServletResponse response,
            long startNanos) {
        this.observer = observer;
        this.request = request;
        this.response = response;
        this.startNanos = startNanos;
    }

    /**
     * Reports the request now if {@code service} answered it, else when its asynchronous cycle
     * completes. Called as {@code service} returns: an asynchronous cycle completed meanwhile by
     * another thread still tells its listeners after that.
     */
    static void follow(ExchangeObserver observer, HttpServletRequest request, HttpServletResponse response,
            long startNanos) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AnsweredRequests(observer, request, response, startNanos));
        } else {
            report(observer, request, response.getStatus(), startNanos);
        }
    }

    /** Reports a request whose {@code service} failed: the container answers it with a 500. */
    static void failed(ExchangeObserver observer, HttpServletRequest request, long startNanos) {
        report(observer, request, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, startNanos);
    }

    private static void report(ExchangeObserver observer, HttpServletRequest request, int status, long startNanos) {
        observer.requestAnswered(route(request), request.getMethod(), status, System.nanoTime() - startNanos);
    }

    /** @return the path of the route the request matched, or {@link MetricNames#NONE}: never the request's path */
    private static String route(HttpServletRequest request) {
        Object routed = request.getAttribute(Routed.ATTRIBUTE);
        Route route = routed instanceof Exchange exchange ? exchange.route()
                : routed instanceof Rejection rejection ? rejection.route() : null;
        return route == null ? MetricNames.NONE : route.config().path();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        report(observer, request, response.getStatus(), startNanos);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // onComplete follows.
    }

    @Override
    public void onError(AsyncEvent event) {
        // onComplete follows.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not started again.
    }
}
