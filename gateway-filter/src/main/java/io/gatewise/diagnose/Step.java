package io.gatewise.diagnose;

import io.gatewise.failure.Phase;
import java.util.Locale;

/** The steps of a diagnosis, in the order they run. */
public enum Step {
    /** The upstream's name: the cached answer and a fresh lookup. */
    RESOLVE(Phase.RESOLVE),
    /** A TCP connection to each resolved address. */
    CONNECT(Phase.CONNECT),
    /** The TLS handshake, for https upstreams. */
    TLS(Phase.TLS),
    /** One HTTP request: the health check's, or a HEAD of the base path. */
    HTTP(Phase.AWAIT_HEADERS);

    private final String token = name().toLowerCase(Locale.ROOT);
    private final Phase phase;

    Step(Phase phase) {
        this.phase = phase;
    }

    /** @return its name in JSON and on the command line, such as {@code resolve} */
    public String token() {
        return token;
    }

    /** @return the phase of a live exchange this step stands for */
    Phase phase() {
        return phase;
    }
}
