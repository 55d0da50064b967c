package io.gatewise.config;

/**
 * Which HTTP version a route speaks to its upstreams, the route's {@code protocol} key.
 */
public enum UpstreamProtocol {
    /**
     * {@code auto} (the default): over {@code https} ALPN chooses {@code h2} or {@code http/1.1},
     * whichever the upstream prefers; in cleartext HTTP/1.1.
     */
    AUTO,
    /** {@code http1}: always HTTP/1.1, also over {@code https} (ALPN offers only {@code http/1.1}). */
    HTTP1,
    /**
     * {@code h2}: always HTTP/2: {@code h2} over {@code https} (ALPN offers only {@code h2}, so an
     * upstream that cannot speak it fails the handshake), {@code h2c} with prior knowledge over
     * {@code http}. What a gRPC upstream needs.
     */
    H2;

    /** @return its name in the config file */
    public String token() {
        return ConfigValues.token(this);
    }
}
