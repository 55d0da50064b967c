package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RawClient;
import io.gatewise.testing.RunningGateway;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keep-alive client whose request the gateway answers itself, before reading its body, never
 * loses its next request: either the body is read and the connection goes on, or the answer says
 * {@code Connection: close} and the client knows to open a new one.
 */
class ConnectionReuseTest {
    private static final String BODY = "{\"order\":42}";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void aBodySentWithItsHeadIsDroppedAndTheConnectionCarriesTheNextRequest() throws Exception {
        RunningGateway gateway = shopInMaintenance();
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send(post() + BODY);
            String first = client.readResponse();

            assertThat(first).startsWith("HTTP/1.1 503").doesNotContainIgnoringCase("connection: close");
            client.send("GET /api/next HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theGatewaysOwnAnswerToABodilessRequestKeepsTheConnectionForTheNext() throws Exception {
        String up = gateways.jettyUpstream(new NamedServlet("up")).url();
        RunningGateway gateway = gateways.builder()
                .route(RouteConfig.builder().path("/refused/").upstream("http://127.0.0.1:" + ClosedPort.find()).build())
                .route(RouteConfig.builder().path("/api/").upstream(up).build()).start();
        try (RawClient client = RawClient.connect(gateway.port())) {
            for (String request : new String[] {"GET /refused/a HTTP/1.1\r\nHost: gw\r\n\r\n",
                    "GET /refused/b HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n",
                    "DELETE /refused/c HTTP/1.1\r\nHost: gw\r\n\r\n"}) {
                client.send(request);
                String answer = client.readResponse();

                // Proxied, refused, answered by the gateway: the connection carries the next request.
                assertThat(answer).startsWith("HTTP/1.1 502").contains("Proxy-Status: ")
                        .contains("error=connection_refused").doesNotContainIgnoringCase("connection: close");
            }
            client.send("GET /api/next HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBodyStillOnItsWayGetsConnectionCloseAndTheNextRequestGoesOnANewConnection() throws Exception {
        RunningGateway gateway = shopInMaintenance();
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send(post());
            String first = client.readResponse();

            assertThat(first).startsWith("HTTP/1.1 503").containsIgnoringCase("\r\nconnection: close\r\n");
            Thread.sleep(100);
            client.send(BODY);
            assertThat(client.socket().getInputStream().read()).as("closed after the answer, as announced")
                    .isEqualTo(-1);
        }
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("GET /api/next HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aKeepAliveClientLosesNoRequestWhateverTheTimingOfItsBodies() throws Exception {
        RunningGateway gateway = shopInMaintenance();
        int lost = 0;
        int answered = 0;
        RawClient client = RawClient.connect(gateway.port());
        try {
            for (int i = 0; i < 40; i++) {
                // Half the bodies come with their head, half a moment later: a keep-alive client resends only on close.
                client.send(post());
                if (i % 2 == 1) {
                    Thread.sleep(5);
                }
                String answer;
                try {
                    client.send(BODY);
                    answer = client.readResponse();
                } catch (IOException e) {
                    lost++;
                    client.close();
                    client = RawClient.connect(gateway.port());
                    continue;
                }
                answered++;
                assertThat(answer).startsWith("HTTP/1.1 503");
                if (answer.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
                    client.close();
                    client = RawClient.connect(gateway.port());
                }
            }
        } finally {
            client.close();
        }
        assertThat(lost).as("requests lost on a connection closed without warning").isZero();
        assertThat(answered).isEqualTo(40);
    }

    private RunningGateway shopInMaintenance() throws Exception {
        NamedServlet up = new NamedServlet("up");
        String url = gateways.jettyUpstream(up).url();
        return gateways.builder()
                .route(RouteConfig.builder().path("/shop/").upstream(url).maintenance(true).build())
                .route(RouteConfig.builder().path("/api/").upstream(url).build())
                .start();
    }

    private static String post() {
        return "POST /shop/order HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY.length() + "\r\n\r\n";
    }
}
