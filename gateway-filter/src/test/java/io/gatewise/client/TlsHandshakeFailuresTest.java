package io.gatewise.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.tls.AlertingTlsUpstream;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert an upstream ended the handshake with reaches the exchange, however Jetty's client
 * ended the request: with the alert, or (a race inside the client) with its own failed write.
 * Real TLS on loopback, many handshakes, so both endings occur.
 */
class TlsHandshakeFailuresTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final TlsHandshakeFailures failures = new TlsHandshakeFailures();
    private HttpClient client;

    @AfterEach
    void stopClient() throws Exception {
        if (client != null) {
            client.stop();
        }
    }

    @Test
    void everyRefusedHandshakeLeavesItsAlertForItsRequestOnce() throws Exception {
        AlertingTlsUpstream upstream = gateways.alertingTlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(TestCertificates.clientSslContextFactory());
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.addBean(failures);
        client.start();

        for (int i = 0; i < 100; i++) {
            CompletableFuture<Result> done = new CompletableFuture<>();
            Request request = client.newRequest(upstream.url()).timeout(10, TimeUnit.SECONDS);
            request.send(done::complete);
            Result result = done.get(15, TimeUnit.SECONDS);
            assertThat(result.isFailed()).isTrue();

            Throwable alert = failures.take(result.getRequest()).orElse(null);
            assertThat(alert).as("handshake " + i + ", which ended the request with " + result.getFailure())
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("handshake_failure");
            assertThat(failures.take(result.getRequest())).as("taken once").isEmpty();
        }
    }

    @Test
    void aRequestWithoutATlsConnectionHasNoHandshakeFailure() {
        assertThat(failures.take(null)).isEmpty();
    }
}
