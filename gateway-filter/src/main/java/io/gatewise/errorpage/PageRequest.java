package io.gatewise.errorpage;

import io.gatewise.failure.UpstreamFailure;
import java.util.Locale;

/**
 * What to render.
 *
 * @param failure the recorded failure, or null for an error that is not an upstream failure
 * @param status the status being sent
 * @param format the negotiated format
 * @param locale the negotiated language
 * @param operator whether the request may see operator detail
 * @param upstreamStatus the upstream's own error status, when the gateway intercepted it; null otherwise
 * @param retryAfterSeconds the {@code Retry-After} already on the response (an upstream's), or null
 *     for the configured one
 * @param diagnosis the latest diagnosis of the failure's upstream, for the operator view; null for none
 */
public record PageRequest(UpstreamFailure failure, int status, PageFormat format, Locale locale, boolean operator,
        Integer upstreamStatus, Long retryAfterSeconds, DiagnosisSummary diagnosis) {

    /**
     * A page without a diagnosis.
     *
     * @param failure the failure, or null
     * @param status the status
     * @param format the format
     * @param locale the language
     * @param operator whether operator detail may be shown
     * @param upstreamStatus the upstream's own error status, or null
     * @param retryAfterSeconds the {@code Retry-After} already on the response, or null
     */
    public PageRequest(UpstreamFailure failure, int status, PageFormat format, Locale locale, boolean operator,
            Integer upstreamStatus, Long retryAfterSeconds) {
        this(failure, status, format, locale, operator, upstreamStatus, retryAfterSeconds, null);
    }

    /**
     * A page for a failure, or for a plain error when {@code failure} is null.
     *
     * @param failure the failure, or null
     * @param status the status
     * @param format the format
     * @param locale the language
     * @param operator whether operator detail may be shown
     */
    public PageRequest(UpstreamFailure failure, int status, PageFormat format, Locale locale, boolean operator) {
        this(failure, status, format, locale, operator, null, null, null);
    }
}
