/**
 * The upstreams of a route: a pool of {@link io.gatewise.upstream.Endpoint}s, primaries and
 * backups; the {@link io.gatewise.upstream.LoadBalancer} that picks one for each attempt, under a
 * {@link io.gatewise.upstream.Lease} that ends exactly once; passive ejection, circuit breaking,
 * draining, and the active {@link io.gatewise.upstream.HealthChecks}.
 */
package io.gatewise.upstream;
