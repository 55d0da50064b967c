package io.gatewise.proxy;

import io.gatewise.failure.UpstreamFailure;
import io.gatewise.metrics.ExchangeObserver;
import io.gatewise.metrics.RetryResult;
import io.gatewise.observe.TrafficWindows;

/**
 * What the proxy reports goes to the meters (when they are on) and to the recent traffic the
 * status page shows (always).
 */
final class GatewayObserver implements ExchangeObserver {
    private final ExchangeObserver meters;
    private final TrafficWindows traffic;

    GatewayObserver(ExchangeObserver meters, TrafficWindows traffic) {
        this.meters = meters;
        this.traffic = traffic;
    }

    @Override
    public void requestAnswered(String route, String method, int status, long durationNanos) {
        traffic.requestAnswered(route);
        meters.requestAnswered(route, method, status, durationNanos);
    }

    @Override
    public void attemptFailed(String route, String upstream, String errorType) {
        meters.attemptFailed(route, upstream, errorType);
    }

    @Override
    public void retryEnded(String route, RetryResult result) {
        meters.retryEnded(route, result);
    }

    @Override
    public void retryBudgetExhausted(String route) {
        meters.retryBudgetExhausted(route);
    }

    @Override
    public void proxyError(String route, String upstream, UpstreamFailure failure) {
        meters.proxyError(route, upstream, failure);
    }
}
