package io.gatewise.failure;

import java.time.Duration;

/**
 * One try to get the response from one upstream: it failed, or the upstream answered with a
 * status its route tries elsewhere ({@code retries.onStatuses}).
 *
 * @param upstream the upstream, as {@code host:port}
 * @param type how it failed; null when the upstream answered with {@code receivedStatus}
 * @param phase how far it came
 * @param elapsed how long it took
 * @param receivedStatus the status the upstream answered with, when it answered; 0 otherwise
 */
public record Attempt(String upstream, ProxyErrorType type, Phase phase, Duration elapsed, int receivedStatus) {
    /**
     * An attempt that failed.
     *
     * @param upstream the upstream, as {@code host:port}
     * @param type how it failed
     * @param phase how far it came
     * @param elapsed how long it took
     */
    public Attempt(String upstream, ProxyErrorType type, Phase phase, Duration elapsed) {
        this(upstream, type, phase, elapsed, 0);
    }

    /**
     * An attempt whose upstream answered with a status its route tries elsewhere.
     *
     * @param upstream the upstream, as {@code host:port}
     * @param status the status it answered with
     * @param elapsed how long it took
     * @return the attempt
     */
    public static Attempt answered(String upstream, int status, Duration elapsed) {
        return new Attempt(upstream, null, Phase.HEADERS, elapsed, status);
    }
}
