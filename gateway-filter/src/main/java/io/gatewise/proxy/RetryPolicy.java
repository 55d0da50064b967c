package io.gatewise.proxy;

import io.gatewise.config.Retries;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureCause;
import java.util.Locale;

/**
 * Decides whether a failed attempt may be tried on another upstream. Safe means: the client
 * cannot get the effect twice, and gets it whole. A request whose body streamed through cannot be
 * sent again; one the upstream cannot have seen is always safe; after it may have been seen, only
 * an idempotent method is; once the response has begun to reach the client, nothing is.
 */
final class RetryPolicy {
    private RetryPolicy() {
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
     * @param headWriteStarted whether the request head had begun to be written: after that, only
     *     a failed TLS handshake proves the upstream did not read the request
     * @param bodyStreamed whether the request has a body that streamed through, not kept: what
     *     was read of it is gone
     * @param attemptsMade attempts made so far, the failed one included
     */
    static Decision decide(Retries retries, Classification failure, boolean headWriteStarted, String method,
            boolean bodyStreamed, int attemptsMade, boolean responseCommitted) {
        boolean mayHaveSeen = failure.phase().upstreamMayHaveSeenRequest()
                || headWriteStarted && failure.cause() != FailureCause.TLS;
        return decide(retries, mayHaveSeen, method, bodyStreamed, attemptsMade, responseCommitted);
    }

    /**
     * Decides on an upstream's answer, before any of it reaches the client: the upstream has seen
     * the request, so only an idempotent one may go elsewhere.
     *
     * @param status the upstream's status
     * @param attemptsMade attempts made so far, the answered one included
     */
    static Decision decideOnStatus(Retries retries, int status, String method, boolean bodyStreamed,
            int attemptsMade) {
        if (!retries.onStatuses().contains(status)) {
            return Decision.noRetry("the route does not retry on " + status);
        }
        return decide(retries, true, method, bodyStreamed, attemptsMade, false);
    }

    private static Decision decide(Retries retries, boolean mayHaveSeen, String method, boolean bodyStreamed,
            int attemptsMade, boolean responseCommitted) {
        if (responseCommitted) {
            return Decision.noRetry("the response has begun to reach the client");
        }
        if (attemptsMade >= retries.maxAttempts()) {
            return Decision.noRetry("no attempts left (" + retries.maxAttempts() + ")");
        }
        if (bodyStreamed) {
            return Decision.noRetry("the request body streamed through (larger than retries.replayBodySize,"
                    + " of unknown length, or sent after 100 Continue) and cannot be sent again");
        }
        if (!mayHaveSeen || retries.idempotentMethods().contains(method.toUpperCase(Locale.ROOT))) {
            return Decision.safe();
        }
        return Decision.noRetry(method + " is not idempotent and the upstream may have processed it");
    }
}
