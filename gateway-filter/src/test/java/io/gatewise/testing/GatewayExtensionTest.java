package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The extension's own lifecycle, driven by hand as JUnit would drive it: what a test starts is
 * stopped after that test; on a static field, what a {@code @BeforeAll} method starts lasts until
 * the class is done.
 */
class GatewayExtensionTest {
    private static boolean listening(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    @Test
    void stopsTheGatewaysAndUpstreamsATestStartedOnceTheTestIsOver() throws Exception {
        GatewayExtension gateways = new GatewayExtension();
        gateways.beforeEach(null);
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        RunningGateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());
        int upstreamPort = URI.create(upstream.url()).getPort();
        int gatewayPort = gateway.port();
        assertThat(gateway.get("/x").getContentAsString()).isEqualTo("up");

        gateways.afterEach(null);

        assertThat(listening(gatewayPort)).as("the gateway").isFalse();
        assertThat(listening(upstreamPort)).as("the upstream").isFalse();
    }

    @Test
    void onAStaticFieldKeepsWhatBeforeAllStartedUntilTheClassIsDone() throws Exception {
        GatewayExtension gateways = new GatewayExtension();
        gateways.beforeAll(null);
        SocketUpstream shared = gateways.socketUpstream(Faults.status(200, "shared"));
        gateways.beforeEach(null);
        SocketUpstream own = gateways.socketUpstream(Faults.status(200, "own"));

        gateways.afterEach(null);
        assertThat(listening(own.port())).as("started by the test").isFalse();
        assertThat(listening(shared.port())).as("started before all tests").isTrue();

        gateways.afterAll(null);
        assertThat(listening(shared.port())).as("started before all tests, after the class").isFalse();
    }
}
