package io.gatewise.failure;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.client.RetryableRequestException;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.RetryableStreamException;

/**
 * Classifies how an HTTP/2 upstream ended a stream or its connection: {@code RST_STREAM} and
 * {@code GOAWAY} with their error codes.
 *
 * <p>Jetty reports a reset, or a session failure, as a plain {@link IOException} whose message is
 * the error code's name in lower case ({@code refused_stream_error}), followed for a session
 * failure by {@code /} and a reason. That name is a token of Jetty's {@link ErrorCode} enum, not
 * prose, so it is matched exactly against the enum; any other message is left to the general
 * rules. A stream above a {@code GOAWAY}'s last stream id fails with Jetty's retryable exceptions.
 */
final class Http2Resets {
    private Http2Resets() {
    }

    /**
     * @param chain the failure's cause chain
     * @param phase how far the exchange had come
     * @return the classification, or null if the failure is no HTTP/2 reset or going away
     */
    static Classification classify(List<Throwable> chain, Phase phase) {
        for (Throwable t : chain) {
            if (t instanceof RetryableRequestException || t instanceof RetryableStreamException) {
                return new Classification(ProxyErrorType.CONNECTION_TERMINATED, FailureCause.UPSTREAM_DOWN, phase,
                        Map.of(), "the upstream is going away (GOAWAY) and did not process the request", true);
            }
        }
        for (Throwable t : chain) {
            ErrorCode code = t.getClass() == IOException.class ? errorCode(t.getMessage()) : null;
            if (code != null) {
                return classify(code, phase, t.getMessage());
            }
        }
        return null;
    }

    private static Classification classify(ErrorCode code, Phase phase, String message) {
        String name = code.name().substring(0, code.name().length() - "_ERROR".length());
        return switch (code) {
            case REFUSED_STREAM_ERROR -> new Classification(ProxyErrorType.CONNECTION_TERMINATED,
                    FailureCause.UPSTREAM_OVERLOADED, phase, Map.of(),
                    "the upstream refused the stream (REFUSED_STREAM) and did not process the request", true);
            case ENHANCE_YOUR_CALM_ERROR -> new Classification(ProxyErrorType.CONNECTION_TERMINATED,
                    FailureCause.UPSTREAM_OVERLOADED, phase, Map.of(),
                    "the upstream finds the gateway too demanding (ENHANCE_YOUR_CALM)");
            case HTTP_1_1_REQUIRED_ERROR -> new Classification(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    FailureCause.CONFIGURATION, phase, Map.of(),
                    "the upstream requires HTTP/1.1 (HTTP_1_1_REQUIRED): set the route's protocol to http1");
            case INADEQUATE_SECURITY_ERROR -> Classification.of(ProxyErrorType.TLS_PROTOCOL_ERROR, Phase.TLS,
                    "the upstream finds the TLS connection inadequate for HTTP/2 (INADEQUATE_SECURITY)");
            case PROTOCOL_ERROR, COMPRESSION_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR, STREAM_CLOSED_ERROR,
                    SETTINGS_TIMEOUT_ERROR -> Classification.of(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    phase.compareTo(Phase.AWAIT_HEADERS) < 0 ? Phase.AWAIT_HEADERS : phase,
                    "HTTP/2 error between the gateway and the upstream (" + message + ")");
            default -> phase == Phase.BODY
                    ? Classification.of(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, phase,
                            "the upstream reset the stream in the middle of the response (" + name + ")")
                    : new Classification(ProxyErrorType.CONNECTION_TERMINATED, FailureCause.UPSTREAM_DOWN, phase,
                            Map.of(), "the upstream reset the stream before any response (" + name + ")");
        };
    }

    /** @return the error code a message of Jetty's names: {@code name} or {@code name/reason}; null if none */
    private static ErrorCode errorCode(String message) {
        if (message == null) {
            return null;
        }
        int slash = message.indexOf('/');
        String token = (slash < 0 ? message : message.substring(0, slash)).toUpperCase(Locale.ROOT);
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(token)) {
                return code;
            }
        }
        return null;
    }
}
