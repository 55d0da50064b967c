package io.gatewise.exchange;

import java.util.Locale;
import java.util.Objects;

/**
 * One attempt of an exchange, as it ended.
 *
 * @param number its number in the exchange, from 1; a number above 1 is a retry
 * @param upstream its upstream, as the config names it (the upstream's URL)
 * @param outcome how it ended
 * @param errorType for a failed attempt, the RFC 9209 type or {@code received_status_NNN} for an
 *     error status the route retries on; null otherwise
 * @param elapsedNanos from its start to its end
 * @param status the status its upstream answered with; 0 if none came
 * @param cause for a failed attempt the classifier classified, the cause a person recognises (such
 *     as {@code upstream_down}); null otherwise
 * @param phase for such an attempt, how far it came (such as {@code connect}); null otherwise
 * @param upstreamState the state its verdict put its upstream in ({@code ejected},
 *     {@code circuit_open}); null when it changed nothing
 */
public record AttemptRecord(int number, String upstream, Outcome outcome, String errorType, long elapsedNanos,
        int status, String cause, String phase, String upstreamState) {
    /** How an attempt ended. */
    public enum Outcome {
        /** Its upstream answered, and the answer went to the client. */
        SUCCEEDED,
        /** It failed, with a verdict on its upstream (and was retried, or the failure was answered). */
        FAILED,
        /** It ended with no verdict on its upstream: the client left, or the gateway stopped. */
        ABANDONED;

        /** @return the label value, such as {@code succeeded} */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the components. */
    public AttemptRecord {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(outcome, "outcome");
        if (number < 1) {
            throw new IllegalArgumentException("number: " + number + " (expected: >= 1)");
        }
        if ((errorType != null) != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("errorType: " + errorType
                    + " (expected: set for a failed attempt only)");
        }
    }

    /** An attempt with no more detail than how it ended. */
    public AttemptRecord(int number, String upstream, Outcome outcome, String errorType, long elapsedNanos) {
        this(number, upstream, outcome, errorType, elapsedNanos, 0, null, null, null);
    }

    /** @return whether it was a retry: the second attempt of its exchange or a later one */
    public boolean retry() {
        return number > 1;
    }
}
