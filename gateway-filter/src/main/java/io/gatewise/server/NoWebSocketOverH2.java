package io.gatewise.server;

import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;

/**
 * The gateway's HTTP/2 listeners do not offer WebSocket over HTTP/2 (RFC 8441's extended
 * {@code CONNECT}): without {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} a browser opens an HTTP/1.1
 * connection for a WebSocket, whose upgrade the gateway proxies upstream first.
 */
final class NoWebSocketOverH2 {
    private NoWebSocketOverH2() {
    }

    /** @param factory an HTTP/2 connection factory of the gateway's */
    static void apply(AbstractHTTP2ServerConnectionFactory factory) {
        factory.setConnectProtocolEnabled(false);
    }
}
