/**
 * The gateway's meters, with Micrometer: what the proxy reports as requests are answered and
 * attempts fail ({@link io.gatewise.metrics.ExchangeObserver}), the meters built from it, the
 * upstream states read at each scrape, and the registry they go to: one the host gives the gateway,
 * or a Prometheus registry of its own with the JVM's meters. {@link io.gatewise.metrics.MetricNames}
 * lists every name and label; labels come from the config (route paths, upstream URLs) and from
 * fixed vocabularies (RFC 9209 types, methods, states), never from requests.
 */
package io.gatewise.metrics;
