package io.gatewise.trace;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Set;

/**
 * The attributes the gateway's spans carry: OpenTelemetry's stable HTTP semantic conventions, and
 * under {@code gatewise.*} what they lack.
 */
final class SpanAttributes {
    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
            AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> USER_AGENT_ORIGINAL = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    static final AttributeKey<String> CAUSE = AttributeKey.stringKey("gatewise.cause");
    static final AttributeKey<String> PHASE = AttributeKey.stringKey("gatewise.phase");
    static final AttributeKey<String> INCIDENT = AttributeKey.stringKey("gatewise.incident");
    static final AttributeKey<String> UPSTREAM_STATE = AttributeKey.stringKey("gatewise.upstream_state");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gatewise.outcome");
    static final AttributeKey<Long> WEBSOCKET_CLOSE_CODE = AttributeKey.longKey("gatewise.websocket.close_code");
    static final AttributeKey<String> WEBSOCKET_INITIATOR = AttributeKey.stringKey("gatewise.websocket.initiator");

    /** The methods the conventions name; any other is {@code _OTHER}, with the original beside it. */
    private static final Set<String> KNOWN_METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH",
            "POST", "PUT", "TRACE", "QUERY");

    private SpanAttributes() {
    }

    /** @return the method as {@code http.request.method} has it */
    static String method(String method) {
        return KNOWN_METHODS.contains(method) ? method : "_OTHER";
    }

    /** @return a span name for a request: its method, or {@code HTTP} for one the conventions do not name */
    static String spanName(String method) {
        return KNOWN_METHODS.contains(method) ? method : "HTTP";
    }
}
