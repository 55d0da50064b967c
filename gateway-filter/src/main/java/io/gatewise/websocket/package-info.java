/**
 * WebSocket sessions the gateway carries, once both handshakes are done: a
 * {@link io.gatewise.websocket.SessionBridge} joins the client's leg (Jakarta WebSocket 2.1, which
 * every servlet container provides) to the upstream's (Jetty's frame-level client, over the route's
 * own HTTP client) and passes frames both ways as they come, fragments included. It decides how a
 * session ends and tells both sides: close codes and reasons pass through as sent, an upstream lost
 * without a close becomes {@code 1014} (Bad Gateway) for the client, and the gateway's own closes
 * are {@code 1001} (idle, draining) and {@code 1009} (message too big). {@code 1005}, {@code 1006}
 * and {@code 1015} never go on the wire. {@link io.gatewise.websocket.WebSocketSessions} holds the
 * open sessions, for the meters and for a draining gateway.
 *
 * <p>The upgrade itself (routing, the upstream's handshake first, failures answered as any other)
 * is the proxy's: see {@code io.gatewise.proxy.WebSocketProxy}.
 */
package io.gatewise.websocket;
