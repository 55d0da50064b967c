package io.gatewise.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpResponseException;
import org.junit.jupiter.api.Test;

/**
 * The classifier on the exception classes the JDK and Jetty really throw, for the faults loopback
 * cannot stage (and for the rules that depend on phase and timing):
 * <ul>
 *   <li>{@link NoRouteToHostException}: an unroutable host (needs a network without a route);</li>
 *   <li>{@link RejectedExecutionException}: Jetty's "Max requests queued per destination" (the
 *       gateway's concurrency limits come with the upstream pools);</li>
 *   <li>{@link CertificateNotYetValidException} inside a validator exception: a certificate dated
 *       in the future;</li>
 *   <li>{@link SocketException} "Connection reset" in each phase: loopback resets mostly surface
 *       as {@link EOFException}.</li>
 * </ul>
 */
class FailureClassifierTest {
    private final FailureClassifier classifier = new FailureClassifier();

    private static ExchangeState in(Phase phase) {
        return new ExchangeState(phase, Duration.ofMillis(10), Duration.ofSeconds(30));
    }

    private Classification classify(Throwable failure, Phase phase) {
        return classifier.classify(failure, in(phase));
    }

    @Test
    void unroutableHostIsDestinationIpUnroutable() {
        Classification result = classify(new NoRouteToHostException("No route to host"), Phase.CONNECT);

        assertThat(result.type()).isEqualTo(ProxyErrorType.DESTINATION_IP_UNROUTABLE);
        assertThat(result.type().status()).isEqualTo(502);
        assertThat(result.cause()).isEqualTo(FailureCause.NETWORK);
    }

    @Test
    void anExchangeTheStoppingGatewayEndedIsItsOwnAnswerInThePhaseItReached() {
        // Jetty hands the abort's cause back wrapped, when the response had begun.
        Throwable aborted = new IOException("aborted", new GatewayStoppingException());

        Classification result = classify(aborted, Phase.BODY);

        assertThat(result.type()).isEqualTo(ProxyErrorType.PROXY_INTERNAL_RESPONSE);
        assertThat(result.cause()).isEqualTo(FailureCause.GATEWAY_STOPPING);
        assertThat(result.phase()).isEqualTo(Phase.BODY);
        assertThat(result.reason()).isEqualTo(GatewayStoppingException.REASON);
        assertThat(classifier.isGatewayStopping(aborted)).isTrue();
        assertThat(classifier.isClientFault(aborted)).isFalse();
    }

    @Test
    void fullRequestQueueIsConnectionLimitReached503() {
        Classification result = classify(new RejectedExecutionException("Max requests queued per destination 1024 "
                + "exceeded for HttpDestination[http://127.0.0.1:9001]"), Phase.CONNECT);

        assertThat(result.type()).isEqualTo(ProxyErrorType.CONNECTION_LIMIT_REACHED);
        assertThat(result.type().status()).isEqualTo(503);
    }

    @Test
    void certificateNotYetValidSaysSo() {
        CertPathValidatorException validator = new CertPathValidatorException("validity check failed",
                new CertificateNotYetValidException("NotBefore: tomorrow"));
        Classification result = classify(new SSLHandshakeException("PKIX path validation failed"), Phase.SEND);
        Classification notYetValid = classify(withCause(new SSLHandshakeException("PKIX path validation failed"),
                validator), Phase.SEND);

        assertThat(result.type()).as("a handshake exception without cause is an alert")
                .isEqualTo(ProxyErrorType.TLS_ALERT_RECEIVED);
        assertThat(notYetValid.type()).isEqualTo(ProxyErrorType.TLS_CERTIFICATE_ERROR);
        assertThat(notYetValid.reason()).isEqualTo("certificate not yet valid");
        assertThat(notYetValid.phase()).isEqualTo(Phase.TLS);
    }

    @Test
    void expiredCertificateIsFoundAnywhereInTheChain() {
        Throwable chain = withCause(new SSLHandshakeException("x"), new CertPathValidatorException("validity",
                new CertificateExpiredException("NotAfter")));

        assertThat(classify(chain, Phase.CONNECT).reason()).isEqualTo("certificate expired");
    }

    @Test
    void resetConnectionDependsOnHowFarTheExchangeCame() {
        SocketException reset = new SocketException("Connection reset");

        assertThat(classify(reset, Phase.AWAIT_HEADERS).type()).isEqualTo(ProxyErrorType.CONNECTION_TERMINATED);
        assertThat(classify(reset, Phase.AWAIT_HEADERS).cause()).isEqualTo(FailureCause.UPSTREAM_DOWN);
        assertThat(classify(reset, Phase.HEADERS).cause()).isEqualTo(FailureCause.NETWORK);
        assertThat(classify(reset, Phase.BODY).type()).isEqualTo(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE);
    }

    @Test
    void timeoutsAreToldApartByPhaseAndElapsedTime() {
        TimeoutException timeout = new TimeoutException("some wording that varies");

        assertThat(classify(timeout, Phase.CONNECT).type()).isEqualTo(ProxyErrorType.CONNECTION_TIMEOUT);
        assertThat(classify(timeout, Phase.SEND).type()).isEqualTo(ProxyErrorType.CONNECTION_WRITE_TIMEOUT);
        assertThat(classify(timeout, Phase.BODY).type()).isEqualTo(ProxyErrorType.CONNECTION_READ_TIMEOUT);
        assertThat(classifier.classify(timeout, new ExchangeState(Phase.BODY, Duration.ofSeconds(30),
                Duration.ofSeconds(30))).type()).isEqualTo(ProxyErrorType.HTTP_RESPONSE_TIMEOUT);
    }

    @Test
    void dnsFailuresCarryTheirRcodeWhenTheResolverKnowsIt() {
        Classification nxdomain = classify(DnsLookupException.failed("api.internal", "NXDOMAIN"), Phase.CONNECT);
        Classification unknown = classify(new UnknownHostException("api.internal"), Phase.CONNECT);
        Classification slow = classify(DnsLookupException.timedOut("api.internal", Duration.ofSeconds(5)),
                Phase.CONNECT);

        assertThat(nxdomain.type()).isEqualTo(ProxyErrorType.DNS_ERROR);
        assertThat(nxdomain.parameters()).containsEntry("rcode", "NXDOMAIN");
        assertThat(unknown.parameters()).isEmpty();
        assertThat(slow.type()).isEqualTo(ProxyErrorType.DNS_TIMEOUT);
        assertThat(slow.type().status()).isEqualTo(504);
    }

    @Test
    void clientFailuresAreRecognisedAndNeverClassifiedAsTheUpstreams() {
        ClientAbortException gone = new ClientAbortException(new EOFException("client closed"));

        assertThat(classifier.isClientFault(new RuntimeException(gone))).isTrue();
        assertThat(classifier.isClientFault(new ConnectException("Connection refused"))).isFalse();
    }

    @Test
    void applicationFailuresAreClassifiedOnlyWhenTheyAreUpstreamFailures() {
        assertThat(classifier.classifyApplicationFailure(new IllegalStateException("bug"))).isEmpty();
        assertThat(classifier.classifyApplicationFailure(new java.sql.SQLException("syntax error"))).isEmpty();
        assertThat(classifier.classifyApplicationFailure(new RuntimeException(new ConnectException("refused")))
                .map(Classification::type)).contains(ProxyErrorType.CONNECTION_REFUSED);
    }

    @Test
    void anUnexpectedErrorIsTheGatewaysOwn() {
        assertThat(classify(new IllegalStateException("bug"), Phase.SEND).type())
                .isEqualTo(ProxyErrorType.PROXY_INTERNAL_ERROR);
        assertThat(classify(new HttpResponseException("HTTP protocol violation", null), Phase.AWAIT_HEADERS).type())
                .isEqualTo(ProxyErrorType.HTTP_PROTOCOL_ERROR);
    }

    @Test
    void everyTypeHasTheStatusRfc9209Recommends() {
        assertThat(ProxyErrorType.DNS_TIMEOUT.status()).isEqualTo(504);
        assertThat(ProxyErrorType.DESTINATION_NOT_FOUND.status()).isEqualTo(500);
        assertThat(ProxyErrorType.DESTINATION_UNAVAILABLE.status()).isEqualTo(503);
        assertThat(ProxyErrorType.CONNECTION_TIMEOUT.status()).isEqualTo(504);
        assertThat(ProxyErrorType.CONNECTION_REFUSED.status()).isEqualTo(502);
        assertThat(ProxyErrorType.HTTP_RESPONSE_TIMEOUT.status()).isEqualTo(504);
        assertThat(ProxyErrorType.HTTP_REQUEST_DENIED.status()).isEqualTo(403);
        assertThat(ProxyErrorType.PROXY_LOOP_DETECTED.token()).isEqualTo("proxy_loop_detected");
    }

    @Test
    void aLostWebSocketSessionIsAConnectionThatEndedNeverAResponseCutShortOrTooSlow() {
        Classification reset = classifier.classifySessionLoss(new SocketException("Connection reset"));
        Classification eof = classifier.classifySessionLoss(new EOFException());

        assertThat(reset.type()).isEqualTo(ProxyErrorType.CONNECTION_TERMINATED);
        assertThat(reset.phase()).isEqualTo(Phase.BODY);
        assertThat(eof.type()).isEqualTo(ProxyErrorType.CONNECTION_TERMINATED);
        assertThat(classifier.classifySessionLoss(new TimeoutException()).type())
                .as("a session outlives any response timeout").isEqualTo(ProxyErrorType.CONNECTION_READ_TIMEOUT);
        assertThat(classifier.classifySessionLoss(new javax.net.ssl.SSLException("bad record MAC")).cause())
                .isEqualTo(FailureCause.TLS);
    }

    private static <T extends Throwable> T withCause(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }
}
