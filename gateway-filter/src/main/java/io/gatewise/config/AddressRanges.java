package io.gatewise.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Lists of addresses and CIDR ranges in the config, checked the way Jetty's {@link InetAddressSet} reads them.
 *
 * <p>An entry is an address literal ({@code 10.0.0.5}, {@code fe80::1}), a CIDR range
 * ({@code 169.254.0.0/16}) or an inclusive range of two addresses ({@code 10.0.0.1-10.0.0.9}).
 * Host names are refused (they would be looked up once, at start-up), and so are IPv4 forms that
 * programs read differently ({@code 0177.0.0.1}, {@code 127.1}). An IPv4-mapped IPv6 entry
 * ({@code ::ffff:127.0.0.0/104}) is kept in its IPv4 form ({@code 127.0.0.0/8}), since the JDK reads
 * such addresses as IPv4 ones.
 */
final class AddressRanges {
    private static final int MAPPED_PREFIX = 96;

    private AddressRanges() {
    }

    /**
     * @param key the list's key, such as {@code trustedNetworks}
     * @param ranges the list as written
     * @param example an example range for the message
     * @return an immutable copy, IPv4-mapped entries in their IPv4 form
     * @throws ConfigException naming the entry that is not an address or range
     */
    static List<String> check(String key, List<String> ranges, String example) {
        if (ranges == null) {
            throw ConfigException.invalid(key, "empty (expected: a list such as [" + example + "])");
        }
        List<String> checked = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            String entry = ranges.get(i);
            String entryKey = key + "[" + i + "]";
            String expected = "an address or CIDR range such as " + example;
            if (entry == null || entry.isBlank()) {
                throw ConfigException.invalid(entryKey, "an empty entry (expected: " + expected + ")");
            }
            String normal;
            try {
                normal = normalize(entry.strip());
            } catch (IpLiterals.Unreadable e) {
                throw ConfigException.invalid(entryKey, ConfigValues.quote(entry) + " (expected: " + e.expected()
                        + ")");
            }
            try {
                new InetAddressSet().add(normal);
            } catch (RuntimeException e) {
                throw ConfigException.invalid(entryKey, ConfigValues.quote(entry) + " (expected: " + expected + ")");
            }
            checked.add(normal);
        }
        return List.copyOf(checked);
    }

    private static String normalize(String entry) throws IpLiterals.Unreadable {
        int slash = entry.indexOf('/');
        if (slash >= 0) {
            String text = entry.substring(0, slash).strip();
            InetAddress address = IpLiterals.parse(text);
            boolean mapped = IpLiterals.isMapped(text, address);
            int max = address instanceof Inet4Address && !mapped ? 32 : 128;
            String bitsText = entry.substring(slash + 1).strip();
            if (bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(bitsText) > max) {
                throw new IpLiterals.Unreadable("an address or CIDR range with a prefix length from 0 to " + max
                        + ", such as " + (max == 32 ? "10.0.0.0/8" : "fe80::/10"));
            }
            int bits = Integer.parseInt(bitsText);
            requireNetworkAddress(text, address, mapped ? bits - MAPPED_PREFIX : bits, mapped);
            if (!mapped) {
                return text + "/" + bits;
            }
            if (bits < MAPPED_PREFIX) {
                throw new IpLiterals.Unreadable("a prefix length from 96 to 128 for an IPv4-mapped range, such as"
                        + " ::ffff:127.0.0.0/104");
            }
            return address.getHostAddress() + "/" + (bits - MAPPED_PREFIX);
        }
        int dash = entry.indexOf('-');
        if (dash >= 0) {
            String low = single(entry.substring(0, dash).strip());
            String high = single(entry.substring(dash + 1).strip());
            if (low.indexOf(':') >= 0 != high.indexOf(':') >= 0) {
                throw new IpLiterals.Unreadable("a range of two addresses of one family, such as 10.0.0.1-10.0.0.9");
            }
            return low + "-" + high;
        }
        return single(entry);
    }

    /**
     * A range is written by its network address: {@code 10.0.0.1/8} is most likely a typo for a
     * host ({@code /32}) or for {@code 10.0.0.0/8}, and the message says both.
     */
    private static void requireNetworkAddress(String text, InetAddress address, int bits, boolean mapped)
            throws IpLiterals.Unreadable {
        if (bits < 0) {
            // A mapped prefix under 96 bits is refused with its own message.
            return;
        }
        byte[] raw = address.getAddress();
        byte[] network = raw.clone();
        for (int i = 0; i < network.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            network[i] &= (byte) (0xff << (8 - keep));
        }
        if (java.util.Arrays.equals(raw, network)) {
            return;
        }
        String networkText;
        try {
            networkText = InetAddress.getByAddress(network).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an address of the same length", e);
        }
        int written = mapped ? bits + MAPPED_PREFIX : bits;
        throw new IpLiterals.Unreadable("the range's network address: " + text + " has host bits set past /" + written
                + "; write " + (mapped ? "::ffff:" : "") + networkText + "/" + written + " for the range, or "
                + text + " alone for one address");
    }

    private static String single(String text) throws IpLiterals.Unreadable {
        InetAddress address = IpLiterals.parse(text);
        return IpLiterals.isMapped(text, address) ? address.getHostAddress() : text;
    }
}
