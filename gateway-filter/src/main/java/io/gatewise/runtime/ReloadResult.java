package io.gatewise.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one reload did.
 *
 * @param success whether the new configuration serves now; if not, the old one still does
 * @param error why it was refused, located where the config came from, such as
 *     {@code gateway.yaml:7:29: routes[0].timeouts.connect: -2s is not positive (expected: ...)};
 *     empty on success
 * @param version the version serving after the reload: the new one, or the old one on failure
 * @param at when the reload ended, on the gateway's clock
 * @param restartRequired keys whose change waits for a restart (see {@link Gateway#reload}), such
 *     as {@code gateway.port}; the running values stay in effect
 */
public record ReloadResult(boolean success, Optional<String> error, ConfigVersion version, Instant at,
        List<String> restartRequired) {
    /** Copies the list. */
    public ReloadResult {
        restartRequired = List.copyOf(restartRequired);
    }

    static ReloadResult succeeded(ConfigVersion version, Instant at, List<String> restartRequired) {
        return new ReloadResult(true, Optional.empty(), version, at, restartRequired);
    }

    static ReloadResult failed(String error, ConfigVersion version, Instant at) {
        return new ReloadResult(false, Optional.of(error), version, at, List.of());
    }
}
