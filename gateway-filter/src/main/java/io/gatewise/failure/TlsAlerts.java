package io.gatewise.failure;

import java.util.Map;
import java.util.Optional;

/** The TLS alert descriptions (RFC 8446, section 6) by their registered names. */
final class TlsAlerts {
    private static final Map<String, Integer> IDS = Map.ofEntries(
            Map.entry("close_notify", 0), Map.entry("unexpected_message", 10), Map.entry("bad_record_mac", 20),
            Map.entry("record_overflow", 22), Map.entry("handshake_failure", 40), Map.entry("bad_certificate", 42),
            Map.entry("unsupported_certificate", 43), Map.entry("certificate_revoked", 44),
            Map.entry("certificate_expired", 45), Map.entry("certificate_unknown", 46),
            Map.entry("illegal_parameter", 47), Map.entry("unknown_ca", 48), Map.entry("access_denied", 49),
            Map.entry("decode_error", 50), Map.entry("decrypt_error", 51), Map.entry("protocol_version", 70),
            Map.entry("insufficient_security", 71), Map.entry("internal_error", 80),
            Map.entry("inappropriate_fallback", 86), Map.entry("user_canceled", 90),
            Map.entry("missing_extension", 109), Map.entry("unsupported_extension", 110),
            Map.entry("unrecognized_name", 112), Map.entry("bad_certificate_status_response", 113),
            Map.entry("unknown_psk_identity", 115), Map.entry("certificate_required", 116),
            Map.entry("no_application_protocol", 120));

    private TlsAlerts() {
    }

    /**
     * @param name an alert's registered name, such as {@code handshake_failure}
     * @return its numeric id, if the name is registered
     */
    static Optional<Integer> id(String name) {
        return Optional.ofNullable(IDS.get(name));
    }
}
