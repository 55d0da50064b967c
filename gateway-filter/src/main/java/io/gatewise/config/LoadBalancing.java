package io.gatewise.config;

import java.util.Locale;

/** How a route spreads its requests over its upstreams. */
public enum LoadBalancing {
    /** Weighted round robin, smooth: each upstream in proportion to its weight, interleaved. */
    ROUND_ROBIN("round-robin"),
    /** Two upstreams picked at random (by weight); the one with fewer requests in flight wins. */
    LEAST_IN_FLIGHT("least-in-flight");

    private final String token;

    LoadBalancing(String token) {
        this.token = token;
    }

    /** @return its name in the config file */
    public String token() {
        return token;
    }

    static LoadBalancing parse(String text) {
        for (LoadBalancing value : values()) {
            if (value.token.equals(text == null ? null : text.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw ConfigException.invalid("loadBalancing", "\"" + text + "\" (expected: round-robin or least-in-flight)");
    }
}
