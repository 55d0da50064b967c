package io.gatewise.config;

import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/** Lists of addresses and CIDR ranges in the config, checked the way Jetty's {@link InetAddressSet} reads them. */
final class AddressRanges {
    private AddressRanges() {
    }

    /**
     * @param key the list's key, such as {@code trustedNetworks}
     * @param ranges the list as written
     * @param example an example range for the message
     * @return an immutable copy
     * @throws ConfigException naming the entry that is not an address or range
     */
    static List<String> check(String key, List<String> ranges, String example) {
        if (ranges == null) {
            throw ConfigException.invalid(key, "empty (expected: a list such as [" + example + "])");
        }
        InetAddressSet parsed = new InetAddressSet();
        for (int i = 0; i < ranges.size(); i++) {
            try {
                parsed.add(ranges.get(i));
            } catch (RuntimeException e) {
                throw ConfigException.invalid(key + "[" + i + "]", ConfigValues.quote(ranges.get(i))
                        + " (expected: an address or CIDR range such as " + example + ")");
            }
        }
        return List.copyOf(ranges);
    }
}
