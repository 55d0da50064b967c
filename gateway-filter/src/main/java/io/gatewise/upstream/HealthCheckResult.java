package io.gatewise.upstream;

import java.time.Instant;

/**
 * The last active health check of an upstream.
 *
 * @param time when it ended
 * @param passed whether it passed
 * @param result what it found: {@code status 200}, or the RFC 9209 type of its failure such as
 *     {@code connection_refused}
 * @param phase how far it got ({@code connect}, {@code await_headers}, ...; {@code done} when it got an answer)
 */
public record HealthCheckResult(Instant time, boolean passed, String result, String phase) {
}
