package io.gatewise.testing.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TLS fixtures, probed with the same kind of Jetty client a proxy uses: each broken upstream
 * must fail the request for its own reason, and the good one must serve it.
 */
class TlsFixturesTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        client = newStartedClient(TestCertificates.clientSslContextFactory());
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
    }

    /** The client as a proxy builds it: dynamic transport over a connector that owns the TLS setup. */
    static HttpClient newStartedClient(SslContextFactory.Client tls) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient httpClient = new HttpClient(new HttpClientTransportDynamic(connector));
        httpClient.setConnectTimeout(5_000);
        httpClient.start();
        return httpClient;
    }

    @Test
    void validCertificateFromTheTrustedCaServesTheRequest() throws Exception {
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        Outcome outcome = Outcome.of(client, upstream.url() + "/hello");

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body()).isEqualTo(TlsUpstream.BODY);
        assertThat(upstream.handledRequests()).isEqualTo(1);
    }

    @Test
    void selfSignedCertificateFailsTheHandshakeBecauseNoTrustedPathExists() throws Exception {
        X509Certificate leaf = TestCertificates.chain(Leaf.SELF_SIGNED).get(0);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.SELF_SIGNED));
        Outcome outcome = Outcome.of(client, upstream.url());

        assertFailedInTheHandshake(outcome, upstream);
        assertThat(outcome.causes()).hasAtLeastOneElementOfType(CertPathBuilderException.class)
                .doesNotHaveAnyElementsOfTypes(CertPathValidatorException.class, CertificateExpiredException.class);
        // Trusting the certificate itself is enough: trust is all that is wrong.
        assertThat(statusWhenTrusting(leaf, upstream.url())).isEqualTo(200);
    }

    @Test
    void certificateFromAnUntrustedCaFailsTheHandshakeBecauseNoTrustedPathExists() throws Exception {
        X509Certificate untrustedCa = TestCertificates.chain(Leaf.UNKNOWN_CA).get(1);
        assertThat(untrustedCa).isNotEqualTo(TestCertificates.caCertificate());
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.UNKNOWN_CA));
        Outcome outcome = Outcome.of(client, upstream.url());

        assertFailedInTheHandshake(outcome, upstream);
        assertThat(outcome.causes()).hasAtLeastOneElementOfType(CertPathBuilderException.class)
                .doesNotHaveAnyElementsOfTypes(CertPathValidatorException.class, CertificateExpiredException.class);
        // Trusting the other CA is enough: trust is all that is wrong.
        assertThat(statusWhenTrusting(untrustedCa, upstream.url())).isEqualTo(200);
    }

    @Test
    void expiredCertificateFromTheTrustedCaFailsTheHandshakeAsExpired() throws Exception {
        assertThat(TestCertificates.chain(Leaf.EXPIRED).get(0).getNotAfter()).isBefore(new Date());
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.EXPIRED));
        Outcome outcome = Outcome.of(client, upstream.url());

        assertFailedInTheHandshake(outcome, upstream);
        assertThat(outcome.causes()).hasAtLeastOneElementOfType(CertPathValidatorException.class)
                .hasAtLeastOneElementOfType(CertificateExpiredException.class)
                .doesNotHaveAnyElementsOfTypes(CertPathBuilderException.class);
    }

    @Test
    void certificateForAnotherHostFailsTheHandshakeOnTheHostNameAlone() throws Exception {
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.WRONG_HOST));
        Outcome outcome = Outcome.of(client, upstream.url());

        assertFailedInTheHandshake(outcome, upstream);
        // The JDK's host name check throws a bare CertificateException, not one of its subtypes.
        assertThat(outcome.causes()).anyMatch(cause -> cause.getClass() == CertificateException.class)
                .doesNotHaveAnyElementsOfTypes(CertPathBuilderException.class, CertPathValidatorException.class,
                        CertificateExpiredException.class);
        // The same certificate passes once host names go unchecked: the name is all that is wrong.
        SslContextFactory.Client noHostCheck = TestCertificates.clientSslContextFactory();
        noHostCheck.setEndpointIdentificationAlgorithm(null);
        assertThat(Outcome.of(noHostCheck, upstream.url()).status()).isEqualTo(200);
    }

    @Test
    void plainHttpServerBehindAnHttpsUrlFailsTheHandshakeAsNotTls() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new HelloServlet());
        assertThat(Outcome.of(client, upstream.url()).status()).isEqualTo(200);

        Outcome outcome = Outcome.of(client, upstream.url().replaceFirst("^http:", "https:"));

        assertThat(outcome.failure()).isInstanceOf(SSLHandshakeException.class);
        // The JDK could not parse the server's answer as a TLS record: a bare SSLException.
        assertThat(outcome.causes()).anyMatch(cause -> cause.getClass() == SSLException.class)
                .doesNotHaveAnyElementsOfTypes(CertificateException.class);
        assertFailedBeforeCommit(outcome);
    }

    @Test
    void serverThatSharesNoCipherSuiteAnswersWithAHandshakeFailureAlert() throws Exception {
        AlertingTlsUpstream upstream = gateways.alertingTlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        // Jetty's client may report its own failed write on the connection the alert ended (an
        // EofException over a ClosedChannelException) before the alert it read: a race inside the
        // client, about one attempt in 25 here. Each attempt ends one way or the other.
        Outcome outcome = null;
        for (int attempt = 0; attempt < 5 && outcome == null; attempt++) {
            Outcome tried = Outcome.of(client, upstream.url());
            if (tried.failure() instanceof SSLHandshakeException) {
                outcome = tried;
            } else {
                assertThat(tried.failure()).as("the race's other ending").isInstanceOf(EofException.class);
            }
        }
        assertThat(outcome).as("the alert, in one of 5 attempts").isNotNull();

        // An alert from the peer arrives as an SSLHandshakeException with no cause at all.
        assertThat(outcome.causes()).singleElement().isInstanceOf(SSLHandshakeException.class);
        // The JDK names the alert it received only in the message.
        assertThat(outcome.failure()).hasMessageContaining("handshake_failure");
        assertFailedBeforeCommit(outcome);
        // The server's thread records its failure after the alert has gone out: wait for it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(upstream.handshakeFailures())
                .as("the server side failed the handshake").anyMatch(SSLHandshakeException.class::isInstance));
    }

    /** The request failed in the TLS handshake, so the upstream never saw any HTTP. */
    private static void assertFailedInTheHandshake(Outcome outcome, TlsUpstream upstream) {
        assertThat(outcome.failure()).isInstanceOf(SSLHandshakeException.class);
        assertFailedBeforeCommit(outcome);
        assertThat(upstream.handledRequests()).isZero();
    }

    /**
     * Jetty hands the request to the connection once TCP connects, and the TLS handshake runs when
     * the request head is first written: "request begin" and "request headers" fire, but the failed
     * handshake means the head is never written, so "request commit" never fires.
     */
    private static void assertFailedBeforeCommit(Outcome outcome) {
        assertThat(outcome.events()).contains("request begin", "request headers", "request failure",
                "response failure", "complete").doesNotContain("request commit", "response begin");
    }

    /** @return the status of a GET by a client that trusts only the given certificate */
    private static int statusWhenTrusting(X509Certificate trusted, String url) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("trusted", trusted);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trustStore);
        return Outcome.of(tls, url).status();
    }

    /**
     * What one GET produced: the response, or the failure, and the request and response events
     * that fired, in order.
     */
    record Outcome(int status, String body, Throwable failure, List<String> events) {
        /** Sends the GET with a client of its own, which it stops afterwards. */
        static Outcome of(SslContextFactory.Client tls, String url) throws Exception {
            HttpClient client = newStartedClient(tls);
            try {
                return of(client, url);
            } finally {
                client.stop();
            }
        }

        /** Sends the GET with the given, started client. */
        static Outcome of(HttpClient client, String url) throws Exception {
            List<String> events = new CopyOnWriteArrayList<>();
            CompletableFuture<Result> done = new CompletableFuture<>();
            BufferingResponseListener listener = new BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                    events.add("complete");
                    done.complete(result);
                }
            };
            client.newRequest(url)
                    .timeout(10, TimeUnit.SECONDS)
                    .onRequestQueued(request -> events.add("request queued"))
                    .onRequestBegin(request -> events.add("request begin"))
                    .onRequestHeaders(request -> events.add("request headers"))
                    .onRequestCommit(request -> events.add("request commit"))
                    .onRequestSuccess(request -> events.add("request success"))
                    .onRequestFailure((request, failure) -> events.add("request failure"))
                    .onResponseBegin(response -> events.add("response begin"))
                    .onResponseHeaders(response -> events.add("response headers"))
                    .onResponseSuccess(response -> events.add("response success"))
                    .onResponseFailure((response, failure) -> events.add("response failure"))
                    .send(listener);
            Result result = done.get(15, TimeUnit.SECONDS);
            return new Outcome(result.getResponse().getStatus(), listener.getContentAsString(),
                    result.getFailure(), List.copyOf(events));
        }

        /** @return the failure and its causes, outermost first; empty if the request succeeded */
        List<Throwable> causes() {
            List<Throwable> causes = new ArrayList<>();
            for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
                causes.add(cause);
            }
            return causes;
        }
    }

    /** Answers 200 "hello" to anything. */
    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("hello");
        }
    }
}
