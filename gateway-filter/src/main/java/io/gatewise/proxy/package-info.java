/**
 * The reverse proxy. {@link io.gatewise.proxy.Gateway} is the running gateway (routes, pools,
 * clients, DNS cache, health checks, recorder) that every front door holds;
 * {@link io.gatewise.proxy.GatewayProxyServlet} keeps to Jetty's hooks and hands each step to
 * {@code Routing} (a target or a {@code Rejection}), {@code Failover} (retry, give up, or the
 * client is gone), {@code RetryRule} and the request's {@code Exchange}.
 */
package io.gatewise.proxy;
