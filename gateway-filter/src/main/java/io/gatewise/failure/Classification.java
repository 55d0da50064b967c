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
 */
public record Classification(ProxyErrorType type, FailureCause cause, Phase phase, Map<String, Object> parameters,
        String reason) {

    /** Copies the parameters so the classification stays immutable. */
    public Classification {
        parameters = Map.copyOf(parameters);
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
