package io.gatewise.failure;

import java.io.IOException;

/**
 * The client side of an exchange failed: the client went away, stopped reading or stopped
 * sending. Wrapped around the container's exception so that the upstream exchange it aborts is
 * never blamed on the upstream.
 */
public final class ClientAbortException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param cause what the container reported about the client */
    public ClientAbortException(Throwable cause) {
        super("client side failed: " + cause, cause);
    }
}
