/**
 * Alerts: built-in rules over what the gateway sees (error rates per route, routes with no
 * upstream that can take traffic, upstream certificates that end soon, refused config reloads),
 * evaluated on a schedule by {@link io.gatewise.alert.Alerts}, and sent to webhooks in
 * Alertmanager's webhook (v4) format, signed, with retries, off the request path.
 */
package io.gatewise.alert;
