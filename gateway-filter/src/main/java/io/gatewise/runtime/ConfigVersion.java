package io.gatewise.runtime;

import java.util.Optional;

/**
 * Which configuration a gateway serves: how many it has applied, and what text the last came from.
 * Two replicas that read the same file show the same digest, whatever their generations.
 *
 * @param generation 1 for the configuration it was built with, one more for each successful reload
 * @param digest the first 12 hex digits of the SHA-256 of the config text; empty for a
 *     configuration built in code
 */
public record ConfigVersion(long generation, Optional<String> digest) {
    /** @return {@code 3-1a2b3c4d5e6f}, or {@code 3} for a configuration built in code */
    @Override
    public String toString() {
        return generation + digest.map(hash -> "-" + hash).orElse("");
    }

    ConfigVersion next(Optional<String> nextDigest) {
        return new ConfigVersion(generation + 1, nextDigest);
    }
}
