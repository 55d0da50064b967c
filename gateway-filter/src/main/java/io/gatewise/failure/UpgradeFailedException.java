package io.gatewise.failure;

import java.io.IOException;

/**
 * The upstream answered a WebSocket upgrade with {@code 101} but not as RFC 6455 asks (a wrong
 * {@code Sec-WebSocket-Accept}, a subprotocol or extension nobody offered): classified as
 * {@code http_upgrade_failed}.
 */
public final class UpgradeFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what what is wrong with the upstream's handshake, for operators
     * @param cause what the WebSocket client found, or null
     */
    public UpgradeFailedException(String what, Throwable cause) {
        super(what, cause);
    }
}
