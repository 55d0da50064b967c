package io.gatewise.diagnose;

import java.util.Locale;

/** The steps of a diagnosis, in the order they run. */
public enum Step {
    /** The upstream's name: the cached answer and a fresh lookup. */
    RESOLVE,
    /** A TCP connection to each resolved address. */
    CONNECT,
    /** The TLS handshake, for https upstreams. */
    TLS,
    /** One HTTP request: the health check's, or a HEAD of the base path. */
    HTTP;

    private final String token = name().toLowerCase(Locale.ROOT);

    /** @return its name in JSON and on the command line, such as {@code resolve} */
    public String token() {
        return token;
    }
}
