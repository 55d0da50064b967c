package io.gatewise.proxy;

import io.gatewise.failure.UpstreamFailure;
import io.gatewise.filter.FailureRecorder;
import io.gatewise.filter.FailureResponses;
import io.gatewise.metrics.MetricNames;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the proxy answers the client when no upstream's answer reaches it: each failure is recorded
 * once, then answered through the snapshot's {@link FailureResponses}. A client connection that
 * fails while being answered is only logged: there is nobody left to tell.
 */
final class ProxyAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyAnswers.class);

    private ProxyAnswers() {
    }

    /**
     * Answers a request that goes to no upstream: {@code 400} for a path that escapes the root
     * (the client's error, recorded nowhere); otherwise the rejection's failure, with
     * {@code Retry-After} until the route's first upstream returns.
     */
    static void rejected(Gateway gateway, HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Rejection rejection) {
        FailureRecorder recorder = gateway.recorder();
        FailureResponses responses = recorder.responses();
        try {
            if (rejection.clientError()) {
                if (rejection.kind() == Rejection.Kind.FAULTY_FRAMING) {
                    // Where this request's body ends is unknown: nothing after it on the connection can be trusted.
                    proxyResponse.setHeader("Connection", "close");
                }
                responses.sendClientError(clientRequest, proxyResponse, rejection.clientStatus());
                return;
            }
            if (rejection.kind() == Rejection.Kind.LOOP) {
                gateway.loopDetected();
            }
            UpstreamFailure failure = rejection.failure(gateway.config().gateway());
            recorder.record(clientRequest, failure);
            gateway.observer().proxyError(failure.route().orElse(MetricNames.NONE), MetricNames.NONE,
                    failure);
            responses.send(clientRequest, proxyResponse, failure,
                    rejection.retryAfterSeconds(gateway.clock(), responses.retryAfterSeconds()));
        } catch (IOException e) {
            LOG.debug("Cannot answer the unrouted request {}", clientRequest.getRequestURI(), e);
        }
    }

    /**
     * Records and answers the failure of the exchange's last attempt. What was buffered of the
     * upstream's body, if none of it reached the client, gives way to the gateway's own page.
     */
    static void gaveUp(Exchange exchange, HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            UpstreamFailure failure) {
        FailureRecorder recorder = exchange.snapshot().recorder();
        recorder.record(clientRequest, failure);
        exchange.observer().proxyError(exchange.route().config().path(), exchange.upstreamUrl(), failure);
        FailureResponses responses = recorder.responses();
        try {
            FlushingResponseWriter writer = exchange.writer();
            if (writer != null) {
                writer.cancel();
                responses.sendInPlaceOfBufferedBody(clientRequest, proxyResponse, failure,
                        responses.retryAfterSeconds());
                return;
            }
            responses.send(clientRequest, proxyResponse, failure, responses.retryAfterSeconds());
        } catch (IOException e) {
            LOG.debug("Cannot answer {}: the client connection failed", clientRequest.getRequestURI(), e);
        }
    }

    /**
     * Answers a client whose side failed: its status ({@code 408}, {@code 400}) if nothing was sent
     * yet, else an aborted connection. No upstream is blamed and nothing is recorded.
     */
    static void clientGone(Exchange exchange, HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            int status, boolean responseStarted) {
        LOG.debug("Client side of {} failed; upstream not blamed", clientRequest.getRequestURI());
        try {
            if (responseStarted) {
                proxyResponse.sendError(-1);
            } else {
                exchange.snapshot().recorder().responses().sendClientError(clientRequest, proxyResponse, status);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot answer a client that failed", e);
        }
    }

    /** Answers an upstream error status the route intercepts with the gateway's own page. */
    static void intercepted(Exchange exchange, HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            String proxyStatus, String upstreamRetryAfter) {
        try {
            exchange.snapshot().recorder().responses().sendIntercepted(clientRequest, proxyResponse,
                    exchange.interceptedStatus(), proxyStatus, upstreamRetryAfter, exchange.route().config().path());
        } catch (IOException e) {
            LOG.debug("Cannot answer an intercepted upstream error", e);
        }
    }
}
