package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.route.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GatewiseCertificateExpiring}: the certificate an upstream presents ends within
 * {@code within}, or has ended, as the {@link CertificateExpirySource} knows it.
 */
final class CertificateExpiryRule implements AlertRule {
    @Override
    public String name() {
        return Alert.CERTIFICATE_EXPIRING;
    }

    @Override
    public boolean enabled(AlertRulesConfig rules) {
        return rules.certificateExpiry().enabled();
    }

    @Override
    public Duration pendingFor(AlertRulesConfig rules) {
        return Duration.ZERO;
    }

    @Override
    public List<Candidate> evaluate(RuleContext context) {
        Duration within = context.rules().certificateExpiry().within();
        List<Candidate> holding = new ArrayList<>();
        for (Route route : context.inputs().routes().routes()) {
            String path = route.config().path();
            for (UpstreamConfig upstream : route.config().upstreams()) {
                String url = upstream.url().toString();
                Optional<Instant> notAfter = context.certificates().notAfter(path, url);
                if (notAfter.isEmpty() || notAfter.get().isAfter(context.now().plus(within))) {
                    continue;
                }
                boolean ended = !notAfter.get().isAfter(context.now());
                long hours = Duration.between(context.now(), notAfter.get()).toHours();
                String left = ended ? "has ended" + (hours <= -24 ? ", " + -hours / 24 + " day(s) ago" : "")
                        : hours < 48 ? "ends in " + hours + " hour(s)" : "ends in " + hours / 24 + " day(s)";
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put("summary", "The certificate of " + url + " (route " + path + ") " + left);
                annotations.put("description", "The certificate " + url + " presents is valid until "
                        + notAfter.get() + (ended ? "; TLS handshakes with it fail as tls_certificate_error"
                        : "; after that, TLS handshakes with it fail as tls_certificate_error") + ". Renew it.");
                annotations.put("not_after", notAfter.get().toString());
                annotations.put("error_type", "tls_certificate_error");
                annotations.put("cause", "tls");
                annotations.put("phase", "tls");
                annotations.put("hints", AlertHints.of("tls"));
                holding.add(new Candidate(Candidate.labels(name(), ended ? "critical" : "warning", context,
                        "route", path, "upstream", url), annotations));
            }
        }
        return holding;
    }
}
