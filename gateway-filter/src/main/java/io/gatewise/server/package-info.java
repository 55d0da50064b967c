/**
 * Running the gateway: {@link io.gatewise.server.GatewayServer} starts it on an embedded Jetty
 * server of its own, or adds it to a Jetty server or servlet context an application already has.
 */
package io.gatewise.server;
