package io.gatewise.exchange;

import java.util.Objects;

/**
 * How a WebSocket session the gateway carried ended: the part of an {@link ExchangeRecord} that
 * only an upgraded request has.
 *
 * @param code the close code the gateway sent because of the close (to the side that did not close
 *     first, or to both for its own close)
 * @param initiator who ended it: {@code client}, {@code upstream} or {@code gateway}
 */
public record WebSocketClose(int code, String initiator) {
    /** Checks the components. */
    public WebSocketClose {
        Objects.requireNonNull(initiator, "initiator");
    }
}
