package io.gatewise.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text messages cut anywhere: inside a UTF-8 sequence from the upstream, inside a surrogate pair from the client. */
class TextFragmentsTest {
    private static final String TEXT = "caf\u00e9 \u4e2d\u6587 \ud83d\ude00!";

    @Test
    void aMessageCutAtEveryByteDecodesWhole() throws Exception {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        Utf8Fragments fragments = new Utf8Fragments();
        StringBuilder decoded = new StringBuilder();

        for (int i = 0; i < bytes.length; i++) {
            decoded.append(fragments.decode(ByteBuffer.wrap(bytes, i, 1), i == bytes.length - 1));
        }

        assertThat(decoded.toString()).isEqualTo(TEXT);
    }

    @Test
    void bytesThatAreNotUtf8OrAMessageEndingInsideACharacterAreRefused() {
        assertThatThrownBy(() -> new Utf8Fragments().decode(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x28}), true))
                .isInstanceOf(CharacterCodingException.class);
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new Utf8Fragments().decode(ByteBuffer.wrap(euro, 0, 2), true))
                .isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aPieceEndingInHalfASurrogatePairKeepsItForTheNext() {
        Utf16Fragments fragments = new Utf16Fragments();
        int cut = TEXT.indexOf('\ud83d') + 1;

        ByteBuffer first = fragments.encode(TEXT.substring(0, cut), false);
        ByteBuffer second = fragments.encode(TEXT.substring(cut), true);

        ByteBuffer whole = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        assertThat(StandardCharsets.UTF_8.decode(whole).toString()).isEqualTo(TEXT);
    }
}
