package io.gatewise.proxy;

import io.gatewise.config.RetryConfig;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureCause;
import java.util.Locale;

/**
 * Decides whether a failed attempt may be tried on another upstream. Safe means: the client
 * cannot get the effect twice, and gets it whole. A request whose body streamed through cannot be
 * sent again; one the upstream cannot have seen is always safe; after it may have been seen, only
 * an idempotent method is; once the response has begun to reach the client, nothing is.
 */
final class RetryRule {
    private RetryRule() {
    }

    /** The decision, with the reason a retry was refused (for logs and tests). */
    record Decision(boolean retry, String reason) {
        static Decision safe() {
            return new Decision(true, "safe to try another upstream");
        }

        static Decision noRetry(String reason) {
            return new Decision(false, reason);
        }
    }

    /**
     * What is known of the request when an attempt ends.
     *
     * @param method the request's method
     * @param bodyStreamed whether the request has a body that streamed through, not kept: what
     *     was read of it is gone
     * @param attemptsMade attempts made so far, the ended one included
     * @param responseStarted whether the upstream's body has begun to be written to the client (sent,
     *     or buffered with the stream in non-blocking mode): another attempt's answer cannot follow
     *     it, since not every container can take the stream back (Tomcat's reset leaves it blocking
     *     without a listener, and the next attempt's body would wait for ever)
     * @param responseCommitted whether any of the response has reached the client: past that, a
     *     failure can only abort it; before, the gateway's answer replaces what was buffered
     */
    record Facts(String method, boolean bodyStreamed, int attemptsMade, boolean responseStarted,
            boolean responseCommitted) {
        /** A request whose response has not begun. */
        Facts(String method, boolean bodyStreamed, int attemptsMade) {
            this(method, bodyStreamed, attemptsMade, false, false);
        }
    }

    /**
     * @param retries the route's retry settings
     * @param failure how the attempt failed
     * @param headWriteStarted whether the request head had begun to be written: after that, only
     *     a failed TLS handshake proves the upstream did not read the request
     * @param facts what is known of the request
     * @return whether to try another upstream
     */
    static Decision onFailure(RetryConfig retries, Classification failure, boolean headWriteStarted, Facts facts) {
        boolean mayHaveSeen = !failure.unprocessed() && (failure.phase().upstreamMayHaveSeenRequest()
                || headWriteStarted && failure.cause() != FailureCause.TLS);
        return decide(retries, mayHaveSeen, facts);
    }

    /**
     * Decides on an upstream's answer, before any of it reaches the client: the upstream has seen
     * the request, so only an idempotent one may go elsewhere.
     *
     * @param retries the route's retry settings
     * @param status the upstream's status
     * @param facts what is known of the request
     * @return whether to try another upstream
     */
    static Decision onStatus(RetryConfig retries, int status, Facts facts) {
        if (!retries.onStatuses().contains(status)) {
            return Decision.noRetry("the route does not retry on " + status);
        }
        return decide(retries, true, facts);
    }

    private static Decision decide(RetryConfig retries, boolean mayHaveSeen, Facts facts) {
        if (facts.responseStarted()) {
            return Decision.noRetry("the response has begun to reach the client");
        }
        if (facts.attemptsMade() >= retries.maxAttempts()) {
            return Decision.noRetry("no attempts left (" + retries.maxAttempts() + ")");
        }
        if (facts.bodyStreamed()) {
            return Decision.noRetry("the request body streamed through (larger than retries.replayBodySize,"
                    + " of unknown length, or sent after 100 Continue) and cannot be sent again");
        }
        if (!mayHaveSeen || retries.idempotentMethods().contains(facts.method().toUpperCase(Locale.ROOT))) {
            return Decision.safe();
        }
        return Decision.noRetry(facts.method() + " is not idempotent and the upstream may have processed it");
    }
}
