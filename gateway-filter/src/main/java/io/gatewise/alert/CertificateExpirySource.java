package io.gatewise.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the rule {@code GatewiseCertificateExpiring} learns when an upstream's certificate ends:
 * the diagnosis's TLS step knows it. It is asked for every upstream of every route at each
 * evaluation, on the evaluator's thread, so it must answer from what it already knows, at once,
 * never by opening a connection.
 */
@FunctionalInterface
public interface CertificateExpirySource {
    /** Knows no certificate: the rule never fires. The default. */
    CertificateExpirySource NONE = (route, upstreamUrl) -> Optional.empty();

    /**
     * @param route the route's configured path, such as {@code /api/}
     * @param upstreamUrl the upstream's URL as configured, such as {@code https://orders.internal:8443}
     * @return the {@code notAfter} of the certificate the upstream last presented; empty if not
     *     known (not checked yet, or not a TLS upstream)
     */
    Optional<Instant> notAfter(String route, String upstreamUrl);
}
