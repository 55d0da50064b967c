/**
 * The upstreams of a route: a pool of {@link io.gatewise.upstream.Endpoint}s, primaries and
 * backups, and the {@link io.gatewise.upstream.LoadBalancer} that picks one for each attempt.
 */
package io.gatewise.upstream;
