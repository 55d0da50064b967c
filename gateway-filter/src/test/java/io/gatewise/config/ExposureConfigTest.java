package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ServerConfig.ProxyStatusView;
import org.junit.jupiter.api.Test;

/** The keys that decide what visitors see and whose forwarding headers are believed. */
class ExposureConfigTest {
    private static final String ROUTES = "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n";

    @Test
    void visitorsSeeTheVisitorViewAndNoProxyIsTrustedByDefault() {
        ServerConfig gateway = ConfigLoader.parse(ROUTES, "g.yaml").gateway();

        assertThat(gateway.proxyStatus()).isEqualTo(ProxyStatusView.VISITOR).isEqualTo(ServerConfig.DEFAULT_PROXY_STATUS);
        assertThat(gateway.trustedProxies()).isEmpty();
    }

    @Test
    void bothKeysCanBeWritten() {
        ServerConfig gateway = ConfigLoader.parse("gateway:\n  proxyStatus: Full\n"
                + "  trustedProxies: [10.0.0.0/8, 192.168.1.10, '2001:db8::/32']\n" + ROUTES, "g.yaml").gateway();

        assertThat(gateway.proxyStatus()).isEqualTo(ProxyStatusView.FULL);
        assertThat(gateway.proxyStatus().token()).isEqualTo("full");
        assertThat(gateway.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.10", "2001:db8::/32");
        assertThat(ConfigLoader.parse("gateway: { proxyStatus: visitor }\n" + ROUTES, "g.yaml").gateway())
                .isEqualTo(ServerConfig.defaults());
    }

    @Test
    void badValuesSayWhereAndWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse("gateway:\n  proxyStatus: everyone\n" + ROUTES, "g.yaml"))
                .hasMessage("g.yaml:2:16: gateway.proxyStatus: \"everyone\" (expected: visitor or full)");
        assertThatThrownBy(() -> ConfigLoader.parse("gateway:\n  trustedProxies: [10.0.0.0/8, 10.0.0.0/40]\n" + ROUTES,
                "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:32: gateway.trustedProxies[1]: \"10.0.0.0/40\" (expected: an address"
                        + " or CIDR range");
    }
}
