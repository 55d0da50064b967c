package io.gatewise.failure;

import java.util.Map;

/**
 * What the {@link FailureClassifier} concluded about one failure.
 *
 * @param type the RFC 9209 error type
 * @param cause the cause a person recognises; usually {@code type.cause()}
 * @param phase the phase the failure happened in
 * @param parameters the type's RFC 9209 parameters, such as {@code rcode} or {@code alert-id}:
 *     values are {@link String} or {@link Long}
 * @param reason a short operator-facing explanation, such as {@code certificate expired}
 * @param unprocessed whether the upstream said it did not process the request, whatever it may have
 *     read of it (an HTTP/2 {@code REFUSED_STREAM}, or a stream above a {@code GOAWAY}'s last stream
 *     id: RFC 9113 section 8.7), so it may be sent again, even a {@code POST}
 */
public record Classification(ProxyErrorType type, FailureCause cause, Phase phase, Map<String, Object> parameters,
        String reason, boolean unprocessed) {

    /** Copies the parameters so the classification stays immutable. */
    public Classification {
        parameters = Map.copyOf(parameters);
    }

    /**
     * A classification of a failure the upstream may have processed.
     *
     * @param type the RFC 9209 error type
     * @param cause the cause a person recognises
     * @param phase the phase
     * @param parameters the type's parameters
     * @param reason a short explanation
     */
    public Classification(ProxyErrorType type, FailureCause cause, Phase phase, Map<String, Object> parameters,
            String reason) {
        this(type, cause, phase, parameters, reason, false);
    }

    /**
     * @param type the error type; its usual cause applies
     * @param phase the phase
     * @param reason a short explanation
     * @return the classification, without parameters
     */
    public static Classification of(ProxyErrorType type, Phase phase, String reason) {
        return new Classification(type, type.cause(), phase, Map.of(), reason);
    }
}
