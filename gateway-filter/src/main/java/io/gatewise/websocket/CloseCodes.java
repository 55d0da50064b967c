package io.gatewise.websocket;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;

/** The close codes the gateway sends or relays, and what may go on the wire (RFC 6455 section 7.4). */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** Going away: the gateway drains, or the session was idle too long. */
    public static final int GOING_AWAY = 1001;
    /** Invalid payload: text that is not UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** Message too big for the route's {@code websocket.maxMessageSize}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Internal error. */
    public static final int INTERNAL_ERROR = 1011;
    /** Bad Gateway (IANA's WebSocket close code registry): the upstream was lost without a close. */
    public static final int BAD_GATEWAY = 1014;
    /** Reserved: no status code was present. Never sent. */
    public static final int NO_STATUS = 1005;
    /** Reserved: the connection closed without a close frame. Never sent. */
    public static final int ABNORMAL = 1006;
    /** Reserved: the TLS handshake failed. Never sent. */
    public static final int TLS_HANDSHAKE = 1015;
    /** The most a close reason may take: 125 bytes of payload less the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /**
     * @param code a code one side closed with
     * @return the code to give the other side: itself when it may be sent; {@link #NORMAL} for a
     *     close without a code; {@link #BAD_GATEWAY} for one the peer's stack reported as lost or a
     *     failed TLS; {@link #INTERNAL_ERROR} for anything outside the registry's ranges
     */
    public static int relayable(int code) {
        if (code == NO_STATUS) {
            return NORMAL;
        }
        if (code == ABNORMAL || code == TLS_HANDSHAKE) {
            return BAD_GATEWAY;
        }
        return transmittable(code) ? code : INTERNAL_ERROR;
    }

    /**
     * @param code a code to close a Jakarta WebSocket session with
     * @return it as Jakarta WebSocket's type: the API's own constant where it has one, else the
     *     code itself. Not {@code CloseCodes.getCloseCode}: the copy of the API that Tomcat 10.1
     *     ships refuses {@code 1014}, which the API's enum lacks.
     */
    static CloseReason.CloseCode jakarta(int code) {
        for (CloseReason.CloseCodes known : CloseReason.CloseCodes.values()) {
            if (known.getCode() == code) {
                return known;
            }
        }
        return new CloseReason.CloseCode() {
            @Override
            public int getCode() {
                return code;
            }

            @Override
            public String toString() {
                return Integer.toString(code);
            }
        };
    }

    /** @return whether the code may be sent in a close frame */
    static boolean transmittable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /**
     * @param reason a close reason, or null
     * @return the reason cut to {@link #MAX_REASON_BYTES} bytes of UTF-8, on a character boundary;
     *     empty for null
     */
    public static String fit(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder fitted = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            fitted.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return fitted.toString();
    }
}
