package io.gatewise.failure;

import java.time.Duration;

/**
 * One try to get the response from one upstream.
 *
 * @param upstream the upstream, as {@code host:port}
 * @param type how it failed
 * @param phase how far it came
 * @param elapsed how long it took
 */
public record Attempt(String upstream, ProxyErrorType type, Phase phase, Duration elapsed) {
}
