package io.gatewise.failure;

import java.time.Duration;

/**
 * What the gateway knows about an upstream exchange at the moment it failed, besides the
 * exception.
 *
 * @param phase the last phase the exchange reached
 * @param elapsed time since the request was handed to the upstream client
 * @param responseTimeout the route's response timeout, to tell it apart from the idle timeout
 */
public record ExchangeState(Phase phase, Duration elapsed, Duration responseTimeout) {
}
