/**
 * The running gateway: {@link io.gatewise.runtime.Gateway}, the small facade every front door
 * holds, with its builder; {@code GatewayWiring}, where its parts are made and joined (and the
 * request path's narrow view of it); {@code Reloader} (reloads, opening and retiring clients, the
 * config file's watcher); its lifecycle and state; the servlet and the start-up listener a web
 * application deploys ({@link io.gatewise.runtime.GatewayProxyServlet},
 * {@link io.gatewise.runtime.GatewayStartup}).
 */
package io.gatewise.runtime;
