package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses of a forwarding chain the gateway trusts: literals read the one strict way. */
class ForwardingHeadersTest {
    private final ForwardingHeaders forwarding = new ForwardingHeaders(List.of("10.1.0.0/16", "fd00::/8"));

    @Test
    void trustsAddressesInTheTrustedNetworks() {
        assertThat(forwarding.trusts("10.1.0.1")).isTrue();
        assertThat(forwarding.trusts("10.1.255.254")).isTrue();
        assertThat(forwarding.trusts("fd00::1")).isTrue();
        assertThat(forwarding.trusts("[fd00::1]")).isTrue();
        assertThat(forwarding.trusts("::ffff:10.1.0.1")).as("IPv4-mapped: its IPv4 address").isTrue();
    }

    @Test
    void trustsNothingOutsideThem() {
        assertThat(forwarding.trusts("10.2.0.1")).isFalse();
        assertThat(forwarding.trusts("127.0.0.1")).isFalse();
        assertThat(forwarding.trusts("fe80::1")).isFalse();
        assertThat(forwarding.trusts(null)).isFalse();
        assertThat(new ForwardingHeaders(List.of()).trusts("10.1.0.1")).as("nobody unless configured").isFalse();
    }

    @Test
    void shortOctalAndNumericFormsNameNoAddress() {
        // Java would read each as an address in 10.1.0.0/16; other programs read them otherwise, or not at all.
        assertThat(forwarding.trusts("10.1.1")).as("10.1.0.1 to Java").isFalse();
        assertThat(forwarding.trusts("10.1.100")).as("10.1.0.100 to Java").isFalse();
        assertThat(forwarding.trusts("010.1.0.1")).as("octal 8.1.0.1 to inet_aton").isFalse();
        assertThat(forwarding.trusts("167837697")).as("10.1.0.1 as one number").isFalse();
        assertThat(forwarding.trusts("0x0a.1.0.1")).isFalse();
    }

    @Test
    void hostNamesAndGarbageAreNotLookedUp() {
        assertThat(forwarding.trusts("localhost")).isFalse();
        assertThat(forwarding.trusts("proxy.internal")).isFalse();
        assertThat(forwarding.trusts("10.1.0.1:8080")).isFalse();
        assertThat(forwarding.trusts("fd00::1%eth0")).isFalse();
        assertThat(forwarding.trusts("")).isFalse();
        assertThat(forwarding.trusts("unknown")).isFalse();
    }
}
