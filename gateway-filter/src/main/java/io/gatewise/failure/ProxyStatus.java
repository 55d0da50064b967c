package io.gatewise.failure;

import java.util.Map;

/**
 * Writes {@code Proxy-Status} members (RFC 9209) as RFC 8941 structured fields.
 *
 * <p>Strings keep printable ASCII only: {@code "} and {@code \} are escaped, anything else (control
 * characters, line breaks, non-ASCII) is replaced by {@code ?}, so no upstream-controlled text can
 * break out of the header.
 */
public final class ProxyStatus {
    /** The header's name. */
    public static final String HEADER = "Proxy-Status";

    private static final int MAX_STRING = 256;

    private ProxyStatus() {
    }

    /**
     * The member for a failure the gateway answered itself.
     *
     * @param gateway the gateway's name, an RFC 8941 token
     * @param failure the failure
     * @param withDetails whether to include {@code details} (operator detail: only for trusted
     *     requests): the reason, and how many upstreams were tried when more than one was
     * @return the member, such as {@code edge-1; error=connection_refused; next-hop="10.0.0.5:8080"}
     */
    public static String member(String gateway, UpstreamFailure failure, boolean withDetails) {
        StringBuilder member = new StringBuilder(96).append(gateway).append("; error=").append(failure.type().token());
        failure.upstream().ifPresent(hop -> appendString(member.append("; next-hop="), hop));
        failure.receivedStatus().ifPresent(status -> member.append("; received-status=").append(status));
        for (Map.Entry<String, Object> parameter : failure.parameters().entrySet()) {
            member.append("; ").append(parameter.getKey()).append('=');
            if (parameter.getValue() instanceof Long || parameter.getValue() instanceof Integer) {
                member.append(parameter.getValue());
            } else {
                appendString(member, String.valueOf(parameter.getValue()));
            }
        }
        if (withDetails) {
            int tried = failure.attemptCount();
            appendString(member.append("; details="),
                    tried > 1 ? tried + " upstreams tried, last: " + failure.reason() : failure.reason());
        }
        return member.toString();
    }

    /**
     * The member for a failure the gateway answered itself, as a visitor sees it: the error type
     * and {@code received-status} only, nothing that names an upstream or says why it failed.
     *
     * @param gateway the gateway's name, an RFC 8941 token
     * @param failure the failure
     * @return the member, such as {@code edge-1; error=connection_refused}
     */
    public static String visitorMember(String gateway, UpstreamFailure failure) {
        StringBuilder member = new StringBuilder(64).append(gateway).append("; error=").append(failure.type().token());
        failure.receivedStatus().ifPresent(status -> member.append("; received-status=").append(status));
        return member.toString();
    }

    /**
     * The member for a response the upstream gave itself, as a visitor sees it: no {@code next-hop}.
     *
     * @param gateway the gateway's name
     * @param receivedStatus the upstream's status
     * @return the member, such as {@code edge-1; received-status=503}
     */
    public static String visitorReceived(String gateway, int receivedStatus) {
        return gateway + "; received-status=" + receivedStatus;
    }

    /**
     * The member for a response the upstream gave itself.
     *
     * @param gateway the gateway's name
     * @param nextHop the upstream as {@code host:port}
     * @param receivedStatus the upstream's status
     * @return the member, such as {@code edge-1; next-hop="10.0.0.5:8080"; received-status=503}
     */
    public static String received(String gateway, String nextHop, int receivedStatus) {
        StringBuilder member = new StringBuilder(64).append(gateway);
        appendString(member.append("; next-hop="), nextHop);
        return member.append("; received-status=").append(receivedStatus).toString();
    }

    /**
     * Appends a member after the {@code Proxy-Status} an upstream already sent, as RFC 9209 asks.
     *
     * @param existing the upstream's field value, or null
     * @param member this gateway's member
     * @return the combined field value
     */
    public static String append(String existing, String member) {
        return existing == null || existing.isBlank() ? member : existing + ", " + member;
    }

    /**
     * Appends an RFC 8941 sf-string: quoted, {@code "} and {@code \} escaped, anything that is not
     * printable ASCII replaced by {@code ?}, cut to 256 characters.
     */
    static void appendString(StringBuilder out, String value) {
        out.append('"');
        int length = Math.min(value.length(), MAX_STRING);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c <= 0x7E) {
                out.append(c);
            } else {
                out.append('?');
            }
        }
        out.append('"');
    }
}
