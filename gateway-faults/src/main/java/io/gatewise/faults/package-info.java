/**
 * Upstreams that fail on purpose, on loopback: a connection refused, a connect that is never
 * answered, a connection closed or reset, garbage instead of HTTP, headers that are too large, a
 * response that never comes or stops halfway.
 *
 * <p>They stage each failure the gateway classifies for real, so the demo can show them and tests and
 * rehearsals can reproduce them. They bind only to the loopback address.
 */
package io.gatewise.faults;
