/**
 * The one record of each exchange, written once when the exchange ends, and the readers of it.
 *
 * <p>An {@link io.gatewise.exchange.ExchangeRecord} says what happened to one request: its route,
 * method, status and duration, every attempt with its upstream and outcome, the failure answered,
 * if any. The meters, the failure log, the recent failures and the traffic windows are
 * {@link io.gatewise.exchange.ExchangeReader}s of it; none of them is fed from a second channel.
 * Each route carries a {@link io.gatewise.exchange.RouteHandle} with every reader's state for that
 * route, made when the route is built, so counting per route costs no lookup per request.
 *
 * <p>Free of servlet and Jetty types.
 */
package io.gatewise.exchange;
