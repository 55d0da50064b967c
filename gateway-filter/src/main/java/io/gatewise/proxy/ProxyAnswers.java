package io.gatewise.proxy;

import io.gatewise.failure.UpstreamFailure;
import io.gatewise.answer.FailureRecorder;
import io.gatewise.answer.FailureResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the proxy answers the client when no upstream's answer reaches it: each failure is recorded
 * once into the request's attributes and the exchange ends ({@link ExchangeEnd#now}: its record
 * carries the failure to the readers), then it is answered through the snapshot's {@link FailureResponses}. A client connection that
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
    static void rejected(ProxyRuntime runtime, HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Rejection rejection) {
        Snapshot snapshot = runtime.snapshot();
        FailureRecorder recorder = snapshot.recorder();
        FailureResponses responses = recorder.responses();
        try {
            if (rejection.clientError()) {
                if (rejection.kind() == Rejection.Kind.FAULTY_FRAMING) {
                    // Where this request's body ends is unknown: nothing after it on the connection can be trusted.
                    proxyResponse.setHeader("Connection", "close");
                }
                ExchangeEnd.rejected(runtime, clientRequest, rejection, rejection.clientStatus());
                responses.sendClientError(clientRequest, proxyResponse, rejection.clientStatus());
                return;
            }
            if (rejection.kind() == Rejection.Kind.LOOP) {
                runtime.loopDetected();
            }
            UpstreamFailure failure = recorder.record(clientRequest, rejection.failure(snapshot.config().gateway()));
            ExchangeEnd.rejected(runtime, clientRequest, rejection, failure.status());
            responses.send(clientRequest, proxyResponse, failure,
                    rejection.retryAfterSeconds(runtime.clock(), responses.retryAfterSeconds()));
        } catch (IOException e) {
            LOG.debug("Cannot answer the unrouted request {}", clientRequest.getRequestURI(), e);
        }
    }

    /**
     * Records and answers the failure of the exchange's last attempt. What was buffered of the
     * upstream's body, if none of it reached the client, gives way to the gateway's own page.
     */
    static void gaveUp(ProxyRuntime runtime, Exchange exchange, HttpServletRequest clientRequest,
            HttpServletResponse proxyResponse, UpstreamFailure failed) {
        FailureRecorder recorder = exchange.snapshot().recorder();
        UpstreamFailure failure = recorder.record(clientRequest, failed);
        ExchangeEnd.now(runtime, clientRequest, exchange,
                proxyResponse.isCommitted() ? proxyResponse.getStatus() : failure.status());
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
    static void clientGone(ProxyRuntime runtime, Exchange exchange, HttpServletRequest clientRequest,
            HttpServletResponse proxyResponse, int status, boolean responseStarted) {
        LOG.debug("Client side of {} failed; upstream not blamed", clientRequest.getRequestURI());
        ExchangeEnd.now(runtime, clientRequest, exchange, responseStarted ? proxyResponse.getStatus() : status);
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
    static void intercepted(ProxyRuntime runtime, Exchange exchange, HttpServletRequest clientRequest,
            HttpServletResponse proxyResponse, String proxyStatus, String upstreamRetryAfter) {
        ExchangeEnd.now(runtime, clientRequest, exchange, exchange.interceptedStatus());
        try {
            exchange.snapshot().recorder().responses().sendIntercepted(clientRequest, proxyResponse,
                    exchange.interceptedStatus(), proxyStatus, upstreamRetryAfter, exchange.route().config().path());
        } catch (IOException e) {
            LOG.debug("Cannot answer an intercepted upstream error", e);
        }
    }
}
