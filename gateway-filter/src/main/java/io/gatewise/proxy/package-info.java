/**
 * The reverse proxy: {@link io.gatewise.proxy.GatewayProxyServlet}, built on Jetty's
 * {@code AsyncProxyServlet}, the route table that picks a route by path prefix, and the
 * upstream HTTP clients, one per distinct set of client settings.
 */
package io.gatewise.proxy;
