package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import org.junit.jupiter.api.Test;

/**
 * The extension's own lifecycle, driven by hand as JUnit would drive it: what a test starts is
 * stopped after that test; on a static field, what a {@code @BeforeAll} method starts lasts until
 * the class is done.
 */
class GatewayExtensionTest {
    @Test
    void stopsTheGatewaysAndUpstreamsATestStartedOnceTheTestIsOver() throws Exception {
        GatewayExtension gateways = new GatewayExtension();
        gateways.beforeEach(null);
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());
        assertThat(gateway.get("/x").getContentAsString()).isEqualTo("up");

        gateways.afterEach(null);

        // Asked of the servers themselves: probing a closed loopback port can connect to itself or to a newcomer.
        assertThat(gateway.server().jettyServer().isStopped()).as("the gateway").isTrue();
        assertThat(gateway.server().gateway().isRunning()).as("the gateway's clients").isFalse();
        assertThat(upstream.isRunning()).as("the upstream").isFalse();
    }

    @Test
    void onAStaticFieldKeepsWhatBeforeAllStartedUntilTheClassIsDone() throws Exception {
        GatewayExtension gateways = new GatewayExtension();
        gateways.beforeAll(null);
        JettyUpstream shared = gateways.jettyUpstream(new NamedServlet("shared"));
        gateways.beforeEach(null);
        JettyUpstream own = gateways.jettyUpstream(new NamedServlet("own"));

        gateways.afterEach(null);
        assertThat(own.isRunning()).as("started by the test").isFalse();
        assertThat(shared.isRunning()).as("started before all tests").isTrue();

        gateways.afterAll(null);
        assertThat(shared.isRunning()).as("started before all tests, after the class").isFalse();
    }
}
