package io.gatewise.metrics;

import io.gatewise.failure.UpstreamFailure;

/**
 * What the proxy reports as it serves requests, for the meters: each call is one event, made once,
 * on the thread that saw it. Every method does nothing by default; {@link #NONE} is the observer of
 * a gateway without metrics. Labels are given as the config names them: the route's path and the
 * upstream's URL, or {@link MetricNames#NONE}.
 */
public interface ExchangeObserver {
    /** Observes nothing. */
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /**
     * The gateway's answer to a request is complete: every request, whether an upstream answered,
     * the gateway answered with its own error, or it rejected the request.
     *
     * @param route the route's path, or {@link MetricNames#NONE}
     * @param method the request method, as the client sent it
     * @param status the status the client got
     * @param durationNanos from the request's arrival at the gateway to the answer's end
     */
    default void requestAnswered(String route, String method, int status, long durationNanos) {
    }

    /**
     * An attempt failed, with a verdict on its upstream (retried or not).
     *
     * @param route the route's path
     * @param upstream the upstream's URL
     * @param errorType the RFC 9209 type, or {@code received_status_NNN} for an error status
     *     the route retries on
     */
    default void attemptFailed(String route, String upstream, String errorType) {
    }

    /**
     * A retry's attempt (the second attempt of a request or a later one) ended.
     *
     * @param route the route's path
     * @param result how it ended
     */
    default void retryEnded(String route, RetryResult result) {
    }

    /**
     * A retry was due and another upstream free, but the route's retry budget refused it.
     *
     * @param route the route's path
     */
    default void retryBudgetExhausted(String route) {
    }

    /**
     * The gateway answered a request with its own error (after its attempts, or without one).
     *
     * @param route the route's path, or {@link MetricNames#NONE}
     * @param upstream the last attempt's upstream URL, or {@link MetricNames#NONE}
     * @param failure the failure answered
     */
    default void proxyError(String route, String upstream, UpstreamFailure failure) {
    }
}
