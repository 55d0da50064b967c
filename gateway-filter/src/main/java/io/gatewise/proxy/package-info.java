/**
 * The request path, and only that: {@link io.gatewise.proxy.RoutingProxyServlet} keeps to Jetty's
 * hooks and hands each step to {@code Routing} (an {@code Exchange} or a {@code Rejection}),
 * {@code Failover} (retry, give up, or the client is gone), {@code RetryRule}, the request's
 * {@code Exchange} with its current {@code UpstreamAttempt}, and {@code ProxyAnswers}; every
 * request ends in {@code ExchangeEnd}, which writes its one record. It reaches the running gateway
 * through {@link io.gatewise.proxy.ProxyRuntime} alone; the gateway's life (building, starting,
 * reloading, stopping) is {@code io.gatewise.runtime}'s.
 */
package io.gatewise.proxy;
