package io.gatewise.proxy;

import io.gatewise.config.UpstreamProtocol;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.GatewayStoppingException;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.upstream.Lease;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what follows an attempt that did not end well: another attempt on another upstream,
 * an answer with the failure, or nothing to answer for the upstream because the client's side
 * failed, or an answer for the gateway itself when it ended the exchange at its shutdown deadline.
 * Each decision ends the attempt's {@link Lease} with the right verdict.
 */
final class Failover {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    private static final FailureClassifier CLASSIFIER = new FailureClassifier();

    private Failover() {
    }

    /** What follows a failed attempt. */
    sealed interface Outcome {
    }

    /**
     * Try again under another lease.
     *
     * @param next the lease of the next attempt
     */
    record Retry(Lease next) implements Outcome {
    }

    /**
     * Answer the client with the failure.
     *
     * @param failure the failure, built from every attempt
     */
    record GiveUp(UpstreamFailure failure) implements Outcome {
    }

    /**
     * The client's side failed (it left, or was too slow to send): no upstream is to blame.
     *
     * @param status {@code 408} for a client too slow to send, else {@code 400}
     */
    record ClientGone(int status) implements Outcome {
    }

    /**
     * Decides on an attempt that failed.
     *
     * @param exchange the exchange
     * @param failure what the attempt failed with
     * @param handshakeFailure why the TLS handshake of its connection failed, or null: the truer
     *     cause when Jetty told the request of its own failed write instead (TlsHandshakeFailures)
     * @param facts what is known of the request
     * @return what follows
     */
    static Outcome onFailure(Exchange exchange, Throwable failure, Throwable handshakeFailure,
            RetryRule.Facts facts) {
        Lease pending = exchange.takePendingRetry();
        if (pending != null && failure instanceof StatusRetry retry) {
            exchange.attemptFailed(retry.reason(), retry.errorType(), null);
            return new Retry(pending);
        }
        if (pending != null) {
            // The aborted answer failed otherwise first: the chosen upstream gets no attempt.
            pending.released();
        }
        if (CLASSIFIER.isGatewayStopping(failure)) {
            // The gateway ended it at its shutdown deadline: no verdict on the upstream, and no retry.
            exchange.attemptAbandoned();
            Classification classification = CLASSIFIER.classify(failure, exchange.tracker().state());
            exchange.failed(classification);
            return new GiveUp(exchange.failure(classification, failure, facts.responseCommitted(),
                    GatewayStoppingException.STATUS));
        }
        if (CLASSIFIER.isClientFault(failure)) {
            exchange.attemptAbandoned();
            return new ClientGone(clientStatus(failure));
        }
        Throwable cause = handshakeFailure != null ? handshakeFailure : failure;
        Classification classification = onlyH2Offered(exchange, CLASSIFIER.classify(cause, exchange.tracker().state()));
        exchange.attemptFailed(classification.type().token(), classification.type().token(), classification);
        exchange.failed(classification);
        RetryRule.Decision decision = RetryRule.onFailure(exchange.route().config().retries(), classification,
                exchange.tracker().headWriteStarted(), facts);
        Lease next = decision.retry() ? exchange.nextAttempt() : null;
        if (next != null) {
            return new Retry(next);
        }
        LOG.debug("Not retrying {}: {}", exchange.target(), decision.retry() ? "no upstream or budget left"
                : decision.reason());
        return new GiveUp(exchange.failure(classification, cause, facts.responseCommitted()));
    }

    /**
     * A route of protocol {@code h2} offers only {@code h2} in its TLS handshakes: an upstream that
     * speaks only {@code http/1.1} ends the handshake (with {@code no_application_protocol}, or by
     * closing), which reads like any other TLS failure unless the reason says what was asked.
     */
    private static Classification onlyH2Offered(Exchange exchange, Classification classification) {
        if (classification.cause() != FailureCause.TLS || exchange.route().config().protocol() != UpstreamProtocol.H2) {
            return classification;
        }
        return new Classification(classification.type(), classification.cause(), classification.phase(),
                classification.parameters(), classification.reason() + "; the route's protocol is h2, so ALPN offered"
                + " only h2: does the upstream speak HTTP/2 over TLS? (protocol: auto lets ALPN choose)",
                classification.unprocessed());
    }

    /**
     * Decides on an upstream's error status, before any of its answer reaches the client: a
     * status the route retries on sends the request to another upstream once this answer is
     * aborted with a {@link StatusRetry}.
     *
     * @param exchange the exchange
     * @param status the upstream's status
     * @param facts what is known of the request
     * @return whether to abort this answer and try elsewhere
     */
    static boolean retriesOnStatus(Exchange exchange, int status, RetryRule.Facts facts) {
        RetryRule.Decision decision = RetryRule.onStatus(exchange.route().config().retries(), status, facts);
        Lease next = decision.retry() ? exchange.nextAttempt() : null;
        if (next == null) {
            return false;
        }
        exchange.answered(status);
        exchange.retryOn(next);
        return true;
    }

    /**
     * @return {@code 408} when the client was too slow to send its request, else {@code 400}: a
     *     client-side failure is never a 5xx
     */
    static int clientStatus(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return HttpStatus.REQUEST_TIMEOUT_408;
            }
        }
        return HttpStatus.BAD_REQUEST_400;
    }

    /** Aborts an upstream answer whose status the route tries elsewhere; never reaches a client. */
    static final class StatusRetry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;

        StatusRetry(int status) {
            super("upstream answered " + status + "; trying another upstream", null, false, false);
            this.status = status;
        }

        /** @return what the upstream's failed attempt is recorded as */
        String reason() {
            return "received-status=" + status;
        }

        /** @return the failed attempt as the metrics label it, in the manner of an RFC 9209 type */
        String errorType() {
            return "received_status_" + status;
        }
    }
}
