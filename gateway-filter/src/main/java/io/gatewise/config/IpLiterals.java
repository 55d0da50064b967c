package io.gatewise.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Address literals read one way only. Java reads {@code 0177.0.0.2} as 177.0.0.2 where curl and
 * {@code inet_aton} read octal 127.0.0.2, and reads {@code 127.1} or {@code 2130706434} as
 * addresses too; a host that looks like a number must therefore be four decimal numbers from 0 to
 * 255 without leading zeros. IPv6 literals are read by the JDK, which takes an IPv4-mapped one
 * ({@code ::ffff:127.0.0.3}) for its IPv4 address.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * Reads an address from a request, such as an entry of {@code X-Forwarded-For}, the strict way
     * {@link #parse} reads one from the config.
     *
     * @param text an IPv4 address, or an IPv6 literal with or without brackets
     * @return the address; empty for anything else, such as a host name, {@code 10.1.1} or {@code 010.0.0.1}
     */
    public static Optional<InetAddress> read(String text) {
        try {
            return Optional.of(parse(text));
        } catch (Unreadable e) {
            return Optional.empty();
        }
    }

    /** An address literal that cannot be read, with what to say about it. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String expected) {
            super(expected, null, false, false);
        }

        /** @return what was expected, for the {@code (expected: ...)} part of a message */
        String expected() {
            return getMessage();
        }
    }

    /**
     * @param host a host as written in a URL, without brackets
     * @return whether it is meant as an IPv4 address: its last label (before a final dot) is a
     *     number, decimal or {@code 0x} hexadecimal, as URL parsers decide
     */
    static boolean looksLikeIpv4(String host) {
        int end = host.endsWith(".") ? host.length() - 1 : host.length();
        int start = host.lastIndexOf('.', end - 1) + 1;
        if (start >= end) {
            return false;
        }
        if (end - start >= 2 && host.charAt(start) == '0' && (host.charAt(start + 1) | 0x20) == 'x') {
            for (int i = start + 2; i < end; i++) {
                if (Character.digit(host.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
        for (int i = start; i < end; i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param text an IPv4 address as written
     * @return whether it is four decimal numbers from 0 to 255, each without leading zeros
     */
    static boolean isStrictIpv4(String text) {
        int parts = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return false;
                }
                continue;
            }
            int length = i - start;
            if (length == 0 || length > 1 && text.charAt(start) == '0'
                    || Integer.parseInt(text, start, i, 10) > 255 || ++parts > 4) {
                return false;
            }
            start = i + 1;
        }
        return parts == 4;
    }

    /**
     * @param text an IPv4 address that is not {@link #isStrictIpv4 strict}
     * @return what to expect instead, naming the address other programs read, when they read one
     */
    static String ambiguousIpv4(String text) {
        String other = posixReading(text);
        if (other == null) {
            return "an IPv4 address of four numbers from 0 to 255 without leading zeros, such as 127.0.0.1";
        }
        boolean leadingZero = false;
        for (int i = 0; i + 1 < text.length(); i++) {
            boolean partStart = i == 0 || text.charAt(i - 1) == '.';
            if (partStart && text.charAt(i) == '0' && Character.isDigit(text.charAt(i + 1))) {
                leadingZero = true;
            }
        }
        return "an IPv4 address " + (leadingZero ? "without leading zeros" : "of four decimal numbers")
                + ", such as " + other + "; "
                + (text.length() > ConfigValues.SHOWN ? ConfigValues.quote(text) : text)
                + " is read differently by different programs";
    }

    /**
     * @param text an address, an IPv6 literal with or without brackets, or an IPv4 address
     * @return the address; an IPv4-mapped IPv6 literal gives its {@link Inet4Address}
     * @throws Unreadable if it is not an address literal, or an ambiguous IPv4 one
     */
    static InetAddress parse(String text) throws Unreadable {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (literal.indexOf(':') >= 0) {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    throw new Unreadable("an IPv6 address such as fe80::1, without a zone");
                }
            }
            checkEmbeddedIpv4(literal);
            return byLiteral(literal, "an IPv6 address such as fe80::1");
        }
        if (!looksLikeIpv4(literal)) {
            throw new Unreadable("an address, not a host name");
        }
        if (!isStrictIpv4(literal)) {
            throw new Unreadable(ambiguousIpv4(literal));
        }
        return byLiteral(literal, "an IPv4 address such as 127.0.0.1");
    }

    /**
     * @param literal an IPv6 literal without brackets, possibly with a zone ({@code %eth0})
     * @throws Unreadable if it ends in an IPv4 address that is not {@link #isStrictIpv4 strict}
     */
    static void checkEmbeddedIpv4(String literal) throws Unreadable {
        int zone = literal.indexOf('%');
        String address = zone >= 0 ? literal.substring(0, zone) : literal;
        int embedded = address.lastIndexOf(':') + 1;
        if (address.indexOf('.', embedded) >= 0 && !isStrictIpv4(address.substring(embedded))) {
            throw new Unreadable("an IPv6 address whose IPv4 part has four numbers from 0 to 255 without"
                    + " leading zeros, such as ::ffff:127.0.0.1");
        }
    }

    /**
     * @param text an address literal as written
     * @param address what {@link #parse} read from it
     * @return whether it is an IPv6 literal that the JDK read as the IPv4 address it maps
     */
    static boolean isMapped(String text, InetAddress address) {
        return text.indexOf(':') >= 0 && address instanceof Inet4Address;
    }

    private static InetAddress byLiteral(String literal, String expected) throws Unreadable {
        try {
            // Only literals reach here (checked above), so this never asks DNS.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException | RuntimeException e) {
            throw new Unreadable(expected);
        }
    }

    /** @return the address {@code inet_aton} reads (octal, hex, fewer parts), or null if it reads none */
    private static String posixReading(String text) {
        String[] parts = text.endsWith(".") ? new String[0] : text.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int radix = 10;
            int from = 0;
            if (part.length() > 1 && part.charAt(0) == '0' && (part.charAt(1) | 0x20) == 'x') {
                radix = 16;
                from = 2;
            } else if (part.length() > 1 && part.charAt(0) == '0') {
                radix = 8;
                from = 1;
            }
            if (from == part.length() && radix != 16 || part.length() - from > 12) {
                return null;
            }
            long value = 0;
            for (int j = from; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), radix);
                if (digit < 0) {
                    return null;
                }
                value = value * radix + digit;
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address = address << 8 | values[i];
        }
        int lastBytes = 5 - values.length;
        long last = values[values.length - 1];
        if (last >= 1L << (8 * lastBytes)) {
            return null;
        }
        address = address << (8 * lastBytes) | last;
        return (address >>> 24 & 255) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "."
                + (address & 255);
    }
}
