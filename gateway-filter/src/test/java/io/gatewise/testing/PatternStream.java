package io.gatewise.testing;

import java.io.InputStream;

/**
 * A deterministic stream of any length that is generated, not stored: large bodies without large
 * arrays. Byte {@code i} is {@code (i * 31 + i / 4096) mod 251}, so shifted or dropped pieces
 * change the digest.
 */
public final class PatternStream extends InputStream {
    private final long length;
    private long position;

    /** @param length how many bytes the stream yields */
    public PatternStream(long length) {
        this.length = length;
    }

    @Override
    public int read() {
        return position < length ? byteAt(position++) : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(count, length - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = (byte) byteAt(position++);
        }
        return n;
    }

    private static int byteAt(long i) {
        return (int) ((i * 31 + i / 4096) % 251);
    }
}
