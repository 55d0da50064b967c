package io.gatewise.metrics;

import io.gatewise.exchange.AttemptRecord;
import java.util.Locale;

/** How a retry's attempt ended: the {@code result} of {@code gatewise_retries_total}. */
public enum RetryResult {
    /** Its upstream answered, and the answer went to the client. */
    SUCCESS,
    /** It failed too (and was retried again, or the failure was answered). */
    FAILURE,
    /** It ended with no verdict on the upstream: the client left, or the gateway stopped. */
    ABANDONED;

    /** @return the label value, such as {@code success} */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param outcome how an attempt ended
     * @return its label
     */
    static RetryResult of(AttemptRecord.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> SUCCESS;
            case FAILED -> FAILURE;
            case ABANDONED -> ABANDONED;
        };
    }
}
