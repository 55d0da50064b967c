/**
 * The gateway's meters, with Micrometer: the request, attempt, retry and error meters read from
 * each exchange record (each route's on its handle, see {@code RouteMeters}), the upstream states
 * read at each scrape, and the registry they go to: one the host gives the gateway, or a
 * Prometheus registry of its own with the JVM's meters. {@link io.gatewise.metrics.MetricNames}
 * lists every name and label; labels come from the config (route paths, upstream URLs) and from
 * fixed vocabularies (RFC 9209 types, methods, states), never from requests.
 */
package io.gatewise.metrics;
