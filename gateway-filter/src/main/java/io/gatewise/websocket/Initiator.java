package io.gatewise.websocket;

import java.util.Locale;

/** Who ended a WebSocket session: the {@code initiator} label of {@code gatewise_websocket_closes_total}. */
public enum Initiator {
    /** The client sent the first close, or its connection was lost. */
    CLIENT,
    /** The upstream sent the first close, or its connection was lost. */
    UPSTREAM,
    /** The gateway closed it: idle, a message too big, a drain. */
    GATEWAY;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** @return its label: {@code client}, {@code upstream} or {@code gateway} */
    public String label() {
        return label;
    }
}
