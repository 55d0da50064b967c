package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.observe.ListenerCertificates;
import io.gatewise.route.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GatewiseCertificateExpiring}: a certificate ends within {@code within}, or has ended:
 * one an upstream presents, as the {@link CertificateExpirySource} knows it (labels {@code route}
 * and {@code upstream}), or one the gateway's own TLS listener serves, as it last loaded it
 * (labels {@code listener} and {@code subject}).
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
                String left = left(context.now(), notAfter.get());
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
        for (ListenerCertificates.Served served : context.inputs().listenerCertificates()) {
            if (served.notAfter().isAfter(context.now().plus(within))) {
                continue;
            }
            boolean ended = !served.notAfter().isAfter(context.now());
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("summary", "The certificate " + served.subject() + " that the gateway's " + served.listener()
                    + " listener serves " + left(context.now(), served.notAfter()));
            annotations.put("description", "The certificate of " + served.key() + " (" + served.certificateFile()
                    + ", serial " + served.serial() + ") is valid until " + served.notAfter()
                    + (ended ? "; clients refuse the handshake" : "; after that, clients refuse the handshake")
                    + ". Replace its certificate and privateKey files: the listener reads them again when they"
                    + " change, without a restart.");
            annotations.put("not_after", served.notAfter().toString());
            annotations.put("certificate_file", served.certificateFile());
            annotations.put("serial", served.serial());
            holding.add(new Candidate(Candidate.labels(name(), ended ? "critical" : "warning", context,
                    "listener", served.listener(), "subject", served.subject()), annotations));
        }
        return holding;
    }

    /** @return how long is left, in words: {@code ends in 5 day(s)}, {@code has ended, 2 day(s) ago} */
    private static String left(Instant now, Instant notAfter) {
        long hours = Duration.between(now, notAfter).toHours();
        if (!notAfter.isAfter(now)) {
            return "has ended" + (hours <= -24 ? ", " + -hours / 24 + " day(s) ago" : "");
        }
        return hours < 48 ? "ends in " + hours + " hour(s)" : "ends in " + hours / 24 + " day(s)";
    }
}
