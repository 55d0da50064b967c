package io.gatewise.diagnose;

import io.gatewise.failure.Classification;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import java.util.Map;
import java.util.Optional;

/**
 * The conclusion of a diagnosis, in the proxy's vocabulary: for a failed step, the RFC 9209 type,
 * cause and phase a proxied request would have been answered with at that point (the same
 * classifier decides); for an upstream that answered an error itself, no type, the cause
 * {@value #UPSTREAM_ERROR} and the status it sent.
 *
 * @param ok whether every step passed
 * @param type the RFC 9209 error type; empty when it passed, or when the upstream answered itself
 * @param cause the cause token whose hints apply, such as {@code tls}; empty when it passed
 * @param phase the phase the exchange would have failed in; empty when it passed
 * @param reason what failed, in a few words; {@code ok} when it passed
 * @param parameters the type's RFC 9209 parameters, such as {@code rcode}
 * @param receivedStatus the upstream's own status, when it answered with an error
 */
public record Verdict(boolean ok, Optional<ProxyErrorType> type, Optional<String> cause, Optional<Phase> phase,
        String reason, Map<String, Object> parameters, Optional<Integer> receivedStatus) {
    /** The cause of an error status the upstream answered itself: the error pages' name for it. */
    public static final String UPSTREAM_ERROR = "upstream_error";

    static Verdict passed() {
        return new Verdict(true, Optional.empty(), Optional.empty(), Optional.empty(), "ok", Map.of(),
                Optional.empty());
    }

    static Verdict of(Classification classification) {
        return new Verdict(false, Optional.of(classification.type()), Optional.of(classification.cause().token()),
                Optional.of(classification.phase()), classification.reason(), classification.parameters(),
                Optional.empty());
    }

    static Verdict upstreamAnswered(int status, String reason) {
        return new Verdict(false, Optional.empty(), Optional.of(UPSTREAM_ERROR), Optional.of(Phase.HEADERS), reason,
                Map.of(), Optional.of(status));
    }
}
