package io.gatewise.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a text message a container hands over in pieces: a piece that ends with the first half
 * of a surrogate pair keeps it for the next piece, so no character is cut in two. One per
 * session, used by one thread at a time.
 */
final class Utf16Fragments {
    private char pendingHighSurrogate;

    /**
     * @param piece the next piece of the message
     * @param last whether it ends the message
     * @return its UTF-8 bytes
     */
    ByteBuffer encode(String piece, boolean last) {
        String text = pendingHighSurrogate != 0 ? pendingHighSurrogate + piece : piece;
        pendingHighSurrogate = 0;
        if (!last && !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            pendingHighSurrogate = text.charAt(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
