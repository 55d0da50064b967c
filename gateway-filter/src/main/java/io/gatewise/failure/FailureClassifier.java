package io.gatewise.failure;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Classifies why an upstream exchange failed: the exception chain plus the phase the exchange had
 * reached give one RFC 9209 error type.
 *
 * <p>It classifies by exception <em>type</em> along the whole cause chain, never by message text:
 * JDK and Jetty versions word their messages differently. Where one type can mean two things (a
 * {@link TimeoutException} is a DNS, idle or total timeout), the phase and the elapsed time
 * decide. The only message it reads is a received TLS alert's name, and only to fill the
 * {@code alert-id} parameter; the classification does not depend on it.
 *
 * <p>Stateless and thread-safe.
 */
public final class FailureClassifier {
    private static final String ALERT_MARKER = "Received fatal alert: ";

    /**
     * Classifies the loss of an upgraded connection (a WebSocket session) after its {@code 101}
     * was whole: the failures of its body phase, but the session is no response, so none of them
     * is a response cut short or one that took too long.
     *
     * @param failure what the session's upstream connection failed with
     * @return the classification, in phase {@code body}: {@code connection_terminated} for a
     *     connection that ended (reset, end of stream, a broken frame), or what else it was (TLS,
     *     a silent connection)
     */
    public Classification classifySessionLoss(Throwable failure) {
        // No elapsed time: a session may rightly outlive any response timeout.
        Classification classified = classify(failure, new ExchangeState(Phase.BODY, Duration.ZERO,
                Duration.ofSeconds(Long.MAX_VALUE)));
        return classified.type() == ProxyErrorType.HTTP_RESPONSE_INCOMPLETE
                ? Classification.of(ProxyErrorType.CONNECTION_TERMINATED, Phase.BODY,
                        "WebSocket connection lost without a close")
                : classified;
    }

    /**
     * @param failure the exception the exchange failed with
     * @param state the phase and timing of the exchange
     * @return the classification
     */
    public Classification classify(Throwable failure, ExchangeState state) {
        List<Throwable> chain = chain(failure);
        Phase phase = state.phase();

        GatewayStoppingException stopping = find(chain, GatewayStoppingException.class);
        if (stopping != null) {
            // The gateway's own decision, whatever the exchange's state: see GatewayStoppingException for the type.
            return new Classification(ProxyErrorType.PROXY_INTERNAL_RESPONSE, FailureCause.GATEWAY_STOPPING, phase,
                    Map.of(), stopping.getMessage());
        }
        ResponseLimitException limit = find(chain, ResponseLimitException.class);
        if (limit != null) {
            return new Classification(limit.type(), limit.type().cause(), phase,
                    Map.of(limit.parameter(), limit.size()), limit.getMessage());
        }
        ProhibitedAddressException prohibited = find(chain, ProhibitedAddressException.class);
        if (prohibited != null) {
            return Classification.of(ProxyErrorType.DESTINATION_IP_PROHIBITED, Phase.RESOLVE,
                    "resolved only into prohibited addresses");
        }
        DnsLookupException lookup = find(chain, DnsLookupException.class);
        if (lookup != null) {
            if (lookup.timedOut()) {
                return Classification.of(ProxyErrorType.DNS_TIMEOUT, Phase.RESOLVE, "no DNS answer in time");
            }
            Map<String, Object> parameters = lookup.rcode().<Map<String, Object>>map(rcode -> Map.of("rcode", rcode))
                    .orElse(Map.of());
            return new Classification(ProxyErrorType.DNS_ERROR, FailureCause.DNS, Phase.RESOLVE, parameters,
                    "name does not resolve");
        }
        if (find(chain, UnknownHostException.class) != null) {
            return Classification.of(ProxyErrorType.DNS_ERROR, Phase.RESOLVE, "name does not resolve");
        }
        if (find(chain, RejectedExecutionException.class) != null) {
            return Classification.of(ProxyErrorType.CONNECTION_LIMIT_REACHED, phase, "request queue full");
        }
        SSLException tls = find(chain, SSLException.class);
        if (tls != null) {
            return classifyTls(tls, chain);
        }
        if (find(chain, NoRouteToHostException.class) != null) {
            return Classification.of(ProxyErrorType.DESTINATION_IP_UNROUTABLE, Phase.CONNECT, "no route to host");
        }
        if (find(chain, ConnectException.class) != null) {
            return Classification.of(ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT, "connection refused");
        }
        if (find(chain, SocketTimeoutException.class) != null || find(chain, TimeoutException.class) != null) {
            return classifyTimeout(state);
        }
        Classification http2 = Http2Resets.classify(chain, phase);
        if (http2 != null) {
            return http2;
        }
        UpgradeFailedException upgrade = find(chain, UpgradeFailedException.class);
        if (upgrade != null) {
            return Classification.of(ProxyErrorType.HTTP_UPGRADE_FAILED, Phase.HEADERS, upgrade.getMessage());
        }
        InvalidResponseException invalid = find(chain, InvalidResponseException.class);
        if (invalid != null) {
            return Classification.of(ProxyErrorType.HTTP_PROTOCOL_ERROR, Phase.HEADERS, invalid.getMessage());
        }
        HttpException parser = find(chain, HttpException.class);
        if (parser != null && headerSectionOverflow(parser)) {
            // Jetty's own parser overflowed (far above the route's limit, which the tracker checks first).
            return Classification.of(ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.HEADERS,
                    "response header section larger than the gateway accepts");
        }
        if (find(chain, HttpResponseException.class) != null || parser != null) {
            return Classification.of(ProxyErrorType.HTTP_PROTOCOL_ERROR, phase.compareTo(Phase.AWAIT_HEADERS) < 0
                    ? Phase.AWAIT_HEADERS : phase, "invalid HTTP from upstream");
        }
        if (find(chain, EOFException.class) != null || find(chain, SocketException.class) != null
                || find(chain, ClosedChannelException.class) != null || find(chain, IOException.class) != null) {
            return classifyClosed(phase);
        }
        return Classification.of(ProxyErrorType.PROXY_INTERNAL_ERROR, phase, "unexpected "
                + failure.getClass().getSimpleName());
    }

    /**
     * @return whether Jetty's response parser gave up on a header section over its limit: it says
     *     so with 431, or (Jetty 12.1 on a response) with the response's own status and the reason
     *     "Response Header Bytes Too Large"
     */
    private static boolean headerSectionOverflow(HttpException parser) {
        String reason = parser.getReason();
        return parser.getCode() == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431
                || reason != null && reason.endsWith("Header Bytes Too Large");
    }

    /**
     * Classifies an exception thrown by application code (a servlet talking to a database or
     * another service), if it is an upstream failure at all: the chain must hold a network-level
     * exception such as a refused connection, a timeout, an unknown host or a TLS failure, or a
     * JDBC connection failure. Anything else is the application's own error and is left alone.
     *
     * @param failure what the application threw
     * @return the classification, or empty if it is not an upstream failure
     */
    public Optional<Classification> classifyApplicationFailure(Throwable failure) {
        List<Throwable> chain = chain(failure);
        if (find(chain, ConnectException.class) != null || find(chain, NoRouteToHostException.class) != null
                || find(chain, UnknownHostException.class) != null || find(chain, SSLException.class) != null) {
            return Optional.of(classify(failure, new ExchangeState(Phase.CONNECT, Duration.ZERO, Duration.ZERO)));
        }
        SocketTimeoutException timeout = find(chain, SocketTimeoutException.class);
        if (timeout != null) {
            return Optional.of(whileConnecting(timeout)
                    ? Classification.of(ProxyErrorType.CONNECTION_TIMEOUT, Phase.CONNECT, "no connection in time")
                    : Classification.of(ProxyErrorType.CONNECTION_READ_TIMEOUT, Phase.AWAIT_HEADERS,
                            "upstream went silent"));
        }
        if (find(chain, SQLTransientConnectionException.class) != null) {
            return Optional.of(Classification.of(ProxyErrorType.CONNECTION_LIMIT_REACHED, Phase.CONNECT,
                    "no database connection available"));
        }
        return Optional.empty();
    }

    /** Whether the timeout was thrown by a socket connect, as its stack shows (its message varies by JDK). */
    private static boolean whileConnecting(SocketTimeoutException timeout) {
        for (StackTraceElement frame : timeout.getStackTrace()) {
            String method = frame.getMethodName();
            String type = frame.getClassName();
            if ((method.equals("connect") || method.equals("finishConnect") || method.equals("timedFinishConnect"))
                    && (type.startsWith("java.net.") || type.startsWith("sun.nio.ch."))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param failure an exception that ended an exchange
     * @return whether the client's side failed (it went away, stopped reading or sending): such a
     *     failure is never the upstream's
     */
    public boolean isClientFault(Throwable failure) {
        return find(chain(failure), ClientAbortException.class) != null;
    }

    /**
     * @param failure an exchange's failure
     * @return whether the gateway ended the exchange itself because it is stopping: neither the
     *     client's fault nor the upstream's, and never retried
     */
    public boolean isGatewayStopping(Throwable failure) {
        return find(chain(failure), GatewayStoppingException.class) != null;
    }

    private static Classification classifyTls(SSLException tls, List<Throwable> chain) {
        if (find(chain, CertificateExpiredException.class) != null || isValidatorReason(chain, "EXPIRED")) {
            return Classification.of(ProxyErrorType.TLS_CERTIFICATE_ERROR, Phase.TLS, "certificate expired");
        }
        if (find(chain, CertificateNotYetValidException.class) != null || isValidatorReason(chain, "NOT_YET_VALID")) {
            return Classification.of(ProxyErrorType.TLS_CERTIFICATE_ERROR, Phase.TLS, "certificate not yet valid");
        }
        if (find(chain, CertPathBuilderException.class) != null || find(chain, CertPathValidatorException.class) != null) {
            return Classification.of(ProxyErrorType.TLS_CERTIFICATE_ERROR, Phase.TLS,
                    "certificate not issued by a trusted authority");
        }
        if (find(chain, CertificateException.class) != null) {
            return Classification.of(ProxyErrorType.TLS_CERTIFICATE_ERROR, Phase.TLS,
                    "certificate rejected (its names do not match the upstream host, or it is malformed)");
        }
        if (tls instanceof SSLHandshakeException && causeIsNotTls(tls)) {
            // The JDK raises a received alert as a handshake exception of its own, with no cause.
            return alertReceived(tls);
        }
        return Classification.of(ProxyErrorType.TLS_PROTOCOL_ERROR, Phase.TLS,
                "TLS handshake failed (is the upstream speaking TLS on that port?)");
    }

    private static boolean causeIsNotTls(SSLException tls) {
        for (Throwable cause = tls.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof IOException || cause instanceof CertificateException) {
                return false;
            }
        }
        return true;
    }

    private static Classification alertReceived(SSLException tls) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String message = tls.getMessage();
        int marker = message == null ? -1 : message.indexOf(ALERT_MARKER);
        if (marker >= 0) {
            String alert = message.substring(marker + ALERT_MARKER.length()).trim().split("\\s")[0];
            TlsAlerts.id(alert).ifPresent(id -> parameters.put("alert-id", (long) id));
            parameters.put("alert-message", alert);
        }
        return new Classification(ProxyErrorType.TLS_ALERT_RECEIVED, FailureCause.TLS, Phase.TLS, parameters,
                "upstream ended the TLS handshake with an alert");
    }

    private static boolean isValidatorReason(List<Throwable> chain, String reason) {
        CertPathValidatorException validator = find(chain, CertPathValidatorException.class);
        return validator != null && reason.equals(String.valueOf(validator.getReason()));
    }

    private static Classification classifyTimeout(ExchangeState state) {
        Phase phase = state.phase();
        if (phase.compareTo(Phase.TLS) <= 0) {
            return Classification.of(ProxyErrorType.CONNECTION_TIMEOUT, Phase.CONNECT, "no connection in time");
        }
        if (state.elapsed().compareTo(state.responseTimeout()) >= 0) {
            return Classification.of(ProxyErrorType.HTTP_RESPONSE_TIMEOUT, phase, "no complete response in time");
        }
        if (phase == Phase.SEND) {
            return Classification.of(ProxyErrorType.CONNECTION_WRITE_TIMEOUT, phase, "upstream stopped reading");
        }
        return Classification.of(ProxyErrorType.CONNECTION_READ_TIMEOUT, phase, "upstream went silent");
    }

    private static Classification classifyClosed(Phase phase) {
        if (phase == Phase.BODY) {
            return Classification.of(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, phase, "response ended early");
        }
        if (phase.compareTo(Phase.AWAIT_HEADERS) <= 0) {
            return new Classification(ProxyErrorType.CONNECTION_TERMINATED, FailureCause.UPSTREAM_DOWN, phase,
                    Map.of(), "connection closed before any response");
        }
        return new Classification(ProxyErrorType.CONNECTION_TERMINATED, FailureCause.NETWORK, phase, Map.of(),
                "connection closed in the middle of the response");
    }

    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>(4);
        for (Throwable t = failure; t != null && !chain.contains(t) && chain.size() < 16; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static <T> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
