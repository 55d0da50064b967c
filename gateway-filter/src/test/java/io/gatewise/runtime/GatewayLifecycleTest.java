package io.gatewise.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.RouteConfig;
import io.gatewise.answer.FailureRecorder;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The running {@link Gateway}: started and stopped with its servlet, and started again with it. */
class GatewayLifecycleTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void aServerStoppedAndStartedAgainServesThroughNewClients() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        RunningGateway running = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());
        Gateway gateway = running.server().gateway();
        assertThat(running.get("/a").getContentAsString()).isEqualTo("up");

        running.server().stop();
        assertThat(gateway.isRunning()).as("its clients stop with the servlet").isFalse();
        assertThatThrownBy(gateway::checkHealthNow).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not running");
        running.server().start();

        assertThat(gateway.isRunning()).isTrue();
        assertThat(running.get("/b").getContentAsString()).as("the route's client is the new one, not the stopped one")
                .isEqualTo("up");
    }

    @Test
    void theServletPublishesItsGatewayAndRecorderOnTheContext() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        ServletContextHandler[] context = new ServletContextHandler[1];
        RunningGateway running = gateways.builder().route(RouteConfig.builder().path("/").upstream(upstream.url())
                .build()).context(handler -> context[0] = handler).start();
        Gateway gateway = running.server().gateway();

        assertThat(context[0].getServletContext().getAttribute(Gateway.CONTEXT_ATTRIBUTE)).isSameAs(gateway);
        assertThat(FailureRecorder.of(context[0].getServletContext())).isSameAs(gateway.recorder());
    }

    @Test
    void aGatewayStartsOnce() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        Gateway gateway = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build()).server()
                .gateway();

        assertThatThrownBy(() -> gateway.start(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("The gateway edge-test runs already");
    }

    @Test
    void aGatewayWithNothingInFlightDrainsAtOnceAndStillServesWhatArrives() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new NamedServlet("up"));
        RunningGateway running = gateways.start(RouteConfig.builder().path("/").upstream(upstream.url()).build());
        Gateway gateway = running.server().gateway();

        assertThat(gateway.drain(Duration.ofSeconds(60))).as("nothing to end").isZero();

        assertThat(gateway.state()).isEqualTo(GatewayState.DRAINING);
        assertThat(running.get("/a").getContentAsString()).as("draining is for load balancers; requests are served")
                .isEqualTo("up");
        gateway.stop();
        assertThat(gateway.state()).isEqualTo(GatewayState.STOPPED);
    }
}
