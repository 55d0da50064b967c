package io.gatewise.failure;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Incident ids: short, unguessable enough to not collide, easy to read aloud and search for in
 * logs. Twelve characters of Crockford base-32 (no I, L, O, U), 60 bits, such as {@code 7K2MX9QD4RTA}.
 */
public final class IncidentIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private IncidentIds() {
    }

    /** @return a new incident id */
    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }
}
