package io.gatewise.websocket;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a text message that arrives in fragments split anywhere, even inside a character: the
 * bytes of a character cut at a fragment's end wait for the next fragment. One per direction of a
 * session, used by one thread at a time.
 */
final class Utf8Fragments {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The start of a character cut at the last fragment's end: 3 bytes at most. */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /**
     * @param fragment the next fragment's payload
     * @param last whether it ends the message
     * @return the characters it completes
     * @throws CharacterCodingException if the bytes are not UTF-8, or the message ends inside a character
     */
    String decode(ByteBuffer fragment, boolean last) throws CharacterCodingException {
        ByteBuffer in = fragment;
        if (pending.hasRemaining()) {
            in = ByteBuffer.allocate(pending.remaining() + fragment.remaining()).put(pending).put(fragment.slice()).flip();
        }
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(in.remaining() * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, last);
        if (result.isError()) {
            reset();
            result.throwException();
        }
        if (last) {
            CoderResult flushed = decoder.flush(out);
            if (flushed.isError() || in.hasRemaining()) {
                reset();
                throw new CharacterCodingException();
            }
            reset();
        } else {
            pending = copy(in);
        }
        return out.flip().toString();
    }

    private void reset() {
        decoder.reset();
        pending = ByteBuffer.allocate(0);
    }

    private static ByteBuffer copy(ByteBuffer rest) {
        return ByteBuffer.allocate(rest.remaining()).put(rest).flip();
    }
}
