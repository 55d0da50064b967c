package io.gatewise.failure;

import java.util.Locale;

/**
 * The proxy error types registered by RFC 9209 (section 2.3), each with its recommended status
 * and the {@link FailureCause} it usually belongs to.
 */
public enum ProxyErrorType {
    /** The resolver did not answer within the resolve timeout. */
    DNS_TIMEOUT(504, FailureCause.DNS),
    /** The name does not resolve; parameters {@code rcode}, {@code info-code}. */
    DNS_ERROR(502, FailureCause.DNS),
    /** No route or upstream is configured for the request. */
    DESTINATION_NOT_FOUND(500, FailureCause.CONFIGURATION),
    /** Every upstream is out of rotation, or the route is in maintenance. */
    DESTINATION_UNAVAILABLE(503, FailureCause.NO_CAPACITY),
    /** The upstream resolved into an address the gateway must not connect to. */
    DESTINATION_IP_PROHIBITED(502, FailureCause.FIREWALL),
    /** No route to the upstream's address. */
    DESTINATION_IP_UNROUTABLE(502, FailureCause.NETWORK),
    /** The upstream refused the connection. */
    CONNECTION_REFUSED(502, FailureCause.UPSTREAM_DOWN),
    /** The connection closed or reset before the exchange completed. */
    CONNECTION_TERMINATED(502, FailureCause.UPSTREAM_DOWN),
    /** The connection could not be opened in time. */
    CONNECTION_TIMEOUT(504, FailureCause.FIREWALL),
    /** Nothing could be read from the connection in time. */
    CONNECTION_READ_TIMEOUT(504, FailureCause.UPSTREAM_OVERLOADED),
    /** Nothing could be written to the connection in time. */
    CONNECTION_WRITE_TIMEOUT(504, FailureCause.UPSTREAM_OVERLOADED),
    /** The gateway's own connection or queue limit is reached. */
    CONNECTION_LIMIT_REACHED(503, FailureCause.NO_CAPACITY),
    /** The TLS handshake failed for a protocol reason. */
    TLS_PROTOCOL_ERROR(502, FailureCause.TLS),
    /** The upstream's certificate was rejected. */
    TLS_CERTIFICATE_ERROR(502, FailureCause.TLS),
    /** The upstream ended the handshake with an alert; parameters {@code alert-id}, {@code alert-message}. */
    TLS_ALERT_RECEIVED(502, FailureCause.TLS),
    /** The gateway answers a client error (4xx) on the upstream's behalf. */
    HTTP_REQUEST_ERROR(400, FailureCause.CONFIGURATION),
    /** The gateway denied the request. */
    HTTP_REQUEST_DENIED(403, FailureCause.CONFIGURATION),
    /** The response ended before it was complete. */
    HTTP_RESPONSE_INCOMPLETE(502, FailureCause.NETWORK),
    /** The response header section is larger than allowed; parameter {@code header-section-size}. */
    HTTP_RESPONSE_HEADER_SECTION_SIZE(502, FailureCause.INVALID_RESPONSE),
    /** One response header is larger than allowed; parameters {@code header-name}, {@code header-size}. */
    HTTP_RESPONSE_HEADER_SIZE(502, FailureCause.INVALID_RESPONSE),
    /** The response body is larger than allowed; parameter {@code body-size}. */
    HTTP_RESPONSE_BODY_SIZE(502, FailureCause.INVALID_RESPONSE),
    /** The response trailer section is larger than allowed; parameter {@code trailer-section-size}. */
    HTTP_RESPONSE_TRAILER_SECTION_SIZE(502, FailureCause.INVALID_RESPONSE),
    /** The response's transfer coding could not be handled; parameter {@code coding}. */
    HTTP_RESPONSE_TRANSFER_CODING(502, FailureCause.INVALID_RESPONSE),
    /** The response's content coding could not be handled; parameter {@code coding}. */
    HTTP_RESPONSE_CONTENT_CODING(502, FailureCause.INVALID_RESPONSE),
    /** The complete response did not arrive within the response timeout. */
    HTTP_RESPONSE_TIMEOUT(504, FailureCause.UPSTREAM_OVERLOADED),
    /** A protocol upgrade failed. */
    HTTP_UPGRADE_FAILED(502, FailureCause.INVALID_RESPONSE),
    /** The upstream did not speak valid HTTP. */
    HTTP_PROTOCOL_ERROR(502, FailureCause.INVALID_RESPONSE),
    /** The gateway answered itself, for a reason that is not an error of the upstream. */
    PROXY_INTERNAL_RESPONSE(500, FailureCause.GATEWAY_INTERNAL),
    /** The gateway failed. */
    PROXY_INTERNAL_ERROR(500, FailureCause.GATEWAY_INTERNAL),
    /** The gateway's configuration does not allow it to serve the request. */
    PROXY_CONFIGURATION_ERROR(500, FailureCause.CONFIGURATION),
    /** The request has already passed through this gateway. */
    PROXY_LOOP_DETECTED(502, FailureCause.CONFIGURATION);

    private final String token = name().toLowerCase(Locale.ROOT);
    private final int status;
    private final FailureCause cause;

    ProxyErrorType(int status, FailureCause cause) {
        this.status = status;
        this.cause = cause;
    }

    /** @return the RFC 9209 token, such as {@code connection_refused} */
    public String token() {
        return token;
    }

    /** @return the status RFC 9209 recommends for this type */
    public int status() {
        return status;
    }

    /** @return the cause this type usually belongs to */
    public FailureCause cause() {
        return cause;
    }
}
