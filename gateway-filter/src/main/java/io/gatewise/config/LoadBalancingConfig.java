package io.gatewise.config;

/** How a route spreads its requests over its upstreams. */
public enum LoadBalancingConfig {
    /** Weighted round robin, smooth: each upstream in proportion to its weight, interleaved. */
    ROUND_ROBIN,
    /** Two upstreams picked at random (by weight); the one with fewer requests in flight wins. */
    LEAST_IN_FLIGHT;

    /** @return its name in the config file */
    public String token() {
        return ConfigValues.token(this);
    }
}
