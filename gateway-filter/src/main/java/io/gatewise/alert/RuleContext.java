package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule reads at one evaluation.
 *
 * @param inputs what the rules read: the routes, traffic and reloads
 * @param rules the rules' settings in use
 * @param now the evaluation's time, on the gateway's clock
 * @param certificates when upstream certificates end
 */
record RuleContext(AlertInputs inputs, AlertRulesConfig rules, Instant now, CertificateExpirySource certificates) {
    /** @return the {@code instance} label: the gateway's name */
    String instance() {
        return inputs.name();
    }

    /**
     * Adds what a failure says to an alert's annotations: its {@code error_type}, {@code cause},
     * {@code phase}, the operator {@code hints} for its cause and a sample {@code proxy_status}.
     *
     * @param annotations the alert's annotations
     * @param failure the failure to quote
     */
    void describe(Map<String, String> annotations, Optional<UpstreamFailure> failure) {
        failure.ifPresent(found -> {
            annotations.put("error_type", found.type().token());
            annotations.put("cause", found.cause().token());
            annotations.put("phase", found.phase().token());
            String hints = AlertHints.of(found.cause().token());
            if (!hints.isEmpty()) {
                annotations.put("hints", hints);
            }
            annotations.put("proxy_status", ProxyStatus.member(inputs.name(), found, false));
        });
    }
}
