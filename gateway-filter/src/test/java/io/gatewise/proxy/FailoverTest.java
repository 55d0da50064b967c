package io.gatewise.proxy;

import io.gatewise.route.Route;
import io.gatewise.route.RouteTable;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

/**
 * What follows a failed attempt, decided on the failures themselves. The race it covers (Jetty's
 * client telling the request of its own failed write before the TLS alert it read) happens about
 * once in 100 real exchanges, so it is staged here with the two exceptions Jetty hands over then.
 */
class FailoverTest {
    private static final RetryRule.Facts GET = new RetryRule.Facts("GET", false, 1);

    private static Exchange exchangeTo(String url) {
        GatewayConfig config = GatewayConfig.builder().gateway(ServerConfig.builder().name("edge-test").build())
                .route(RouteConfig.builder().path("/api/").upstream(url).build()).build();
        Route route = RouteTable.of(config).routes().get(0);
        Exchange exchange = new Exchange(null, route, "/api/x", null, null);
        exchange.begin(route.pool().lease(Set.of()));
        return exchange;
    }

    private static UpstreamFailure gaveUp(Failover.Outcome outcome) {
        assertThat(outcome).isInstanceOf(Failover.GiveUp.class);
        return ((Failover.GiveUp) outcome).failure();
    }

    @Test
    void aHandshakeRefusedWithAnAlertIsClassifiedFromTheAlertWhateverTheRequestWasTold() {
        Exchange exchange = exchangeTo("https://127.0.0.1:8443");
        EofException ownWrite = new EofException(new ClosedChannelException());
        SSLHandshakeException alert = new SSLHandshakeException("Received fatal alert: handshake_failure");

        UpstreamFailure failure = gaveUp(Failover.onFailure(exchange, ownWrite, alert, GET));

        assertThat(failure.type()).isEqualTo(ProxyErrorType.TLS_ALERT_RECEIVED);
        assertThat(failure.phase()).isEqualTo(Phase.TLS);
        assertThat(failure.detail()).as("the operator sees the alert, not the write").contains("SSLHandshakeException");
    }

    @Test
    void withoutAHandshakeFailureTheSameWriteIsAClosedConnection() {
        Exchange exchange = exchangeTo("http://127.0.0.1:8080");

        UpstreamFailure failure = gaveUp(Failover.onFailure(exchange,
                new EofException(new ClosedChannelException()), null, GET));

        assertThat(failure.type()).isEqualTo(ProxyErrorType.CONNECTION_TERMINATED);
    }
}
