package io.gatewise.upstream;

import java.time.Instant;
import java.util.Optional;

/**
 * One upstream as an operator sees it, read at one moment: its state and why.
 *
 * @param url its URL as configured
 * @param state where it stands
 * @param reason why it is there: the RFC 9209 type or health check result that put it there
 *     (such as {@code connection_refused} or {@code status 503}), {@code operator} for draining and
 *     maintenance, {@code ok} when healthy
 * @param since when it entered that state, as far as the gateway knows (its start at the earliest)
 * @param until when an ejection or an open circuit ends, if one is running
 * @param consecutiveFailures failed attempts in a row since the last success
 * @param inFlight requests sent to it and not finished
 * @param circuit its circuit breaker's state ({@code closed}, {@code open}, {@code half_open}); empty without one
 * @param lastCheck its last active health check; empty without one
 */
public record UpstreamStatus(String url, UpstreamState state, String reason, Instant since, Optional<Instant> until,
        int consecutiveFailures, int inFlight, Optional<String> circuit, Optional<HealthCheckResult> lastCheck) {
}
