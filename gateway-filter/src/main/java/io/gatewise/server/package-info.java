/**
 * Running the gateway: {@link io.gatewise.server.GatewayServer} starts it on an embedded Jetty
 * server of its own (a cleartext listener with HTTP/1.1 and h2c, and with {@code gateway.tls} a
 * TLS listener with h2 or HTTP/1.1 by ALPN, whose PEM certificates reload when their files
 * change), or adds it to a Jetty server or servlet context an application already has.
 */
package io.gatewise.server;
