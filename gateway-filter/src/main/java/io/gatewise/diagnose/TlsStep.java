package io.gatewise.diagnose;

import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.Phase;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@code tls} step, for https upstreams: a handshake over the connection the connect step
 * made, trusting what the route trusts ({@code tls.caFile}, else the JDK's authorities), with the
 * host name checked and sent as SNI (names only, as the upstream client does), within the route's
 * idle timeout. It reports the protocol and cipher, and the chain the upstream presented even when
 * the handshake fails: each certificate's subject, issuer, {@code notAfter} and days left, whether
 * the leaf names the host, and whether the route's authorities trust the chain.
 */
final class TlsStep {
    private final FailureClassifier classifier;
    private final Clock clock;

    TlsStep(FailureClassifier classifier, Clock clock) {
        this.classifier = classifier;
        this.clock = clock;
    }

    /**
     * @param outcome the step's outcome
     * @param socket the TLS connection; null if the handshake failed
     * @param notAfter when the leaf certificate expires, if the upstream presented one
     */
    record Handshake(StepOutcome outcome, SSLSocket socket, Optional<Instant> notAfter) {
    }

    Handshake run(DiagnosisTarget target, Socket connection) {
        String host = target.host();
        long start = System.nanoTime();
        Map<String, Object> detail = new LinkedHashMap<>();
        boolean sni = !CertificateNames.isAddressLiteral(host);
        detail.put("sni", sni ? host : null);
        ChainRecorder recorder;
        SSLContext context;
        try {
            recorder = new ChainRecorder(trustManager(target.tls().trustStore().orElse(null)));
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS client", e);
        }
        SSLSocket socket = null;
        IOException failure = null;
        try {
            socket = (SSLSocket) context.getSocketFactory().createSocket(connection, host,
                    target.upstream().port(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (sni) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, target.timeouts().idle().toMillis()));
            socket.startHandshake();
        } catch (IOException e) {
            failure = e;
        }
        long millis = ResolveStep.millisSince(start);
        ChainRecorder seen = recorder;
        List<X509Certificate> chain = seen.chain();
        if (failure == null) {
            SSLSession session = socket.getSession();
            detail.put("protocol", session.getProtocol());
            detail.put("cipher", session.getCipherSuite());
        }
        Optional<Instant> notAfter = chain.isEmpty() ? Optional.empty()
                : Optional.of(chain.get(0).getNotAfter().toInstant());
        if (!chain.isEmpty()) {
            detail.put("host_matches", CertificateNames.matches(chain.get(0), host));
            detail.put("names", CertificateNames.of(chain.get(0)));
            String trustError = seen.trustError();
            detail.put("trusted", trustError == null);
            detail.put("trust_error", trustError);
            detail.put("chain", chain.stream().map(this::certificate).toList());
        }
        detail.put("trust", target.tls().caFile().map(file -> "caFile " + file).orElse("JDK default authorities"));
        if (failure == null) {
            String summary = detail.get("protocol") + " " + detail.get("cipher") + notAfter.map(
                    at -> ", certificate valid " + daysLeft(at) + " more days").orElse("");
            return new Handshake(StepOutcome.passed(StepResult.passed(Step.TLS, millis, summary, detail)), socket,
                    notAfter);
        }
        ConnectStep.closeQuietly(socket);
        detail.put("error", failure.getMessage());
        Verdict verdict = Verdict.of(classifier.classify(failure, new ExchangeState(Phase.TLS,
                Duration.ofMillis(millis), target.timeouts().response())));
        String summary = verdict.reason() + (chain.isEmpty() ? "" : " (" + chain.get(0).getSubjectX500Principal()
                .getName() + ", notAfter " + notAfter.get() + ", " + daysLeft(notAfter.get()) + " days left)");
        return new Handshake(new StepOutcome(StepResult.failed(Step.TLS, millis, summary, detail), verdict), null,
                notAfter);
    }

    private Map<String, Object> certificate(X509Certificate certificate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", certificate.getSubjectX500Principal().getName());
        json.put("issuer", certificate.getIssuerX500Principal().getName());
        json.put("notBefore", certificate.getNotBefore().toInstant().toString());
        json.put("notAfter", certificate.getNotAfter().toInstant().toString());
        json.put("days_left", daysLeft(certificate.getNotAfter().toInstant()));
        return json;
    }

    private long daysLeft(Instant notAfter) {
        return Math.floorDiv(Duration.between(clock.instant(), notAfter).toHours(), 24);
    }

    private static X509ExtendedTrustManager trustManager(KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * The route's trust manager, which keeps the chain the upstream presented and whether the
     * authorities alone (without the host name check) trust it, then lets the real one decide.
     */
    private static final class ChainRecorder extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trust;
        private volatile List<X509Certificate> chain = List.of();
        private volatile String trustError;

        ChainRecorder(X509ExtendedTrustManager trust) {
            this.trust = trust;
        }

        List<X509Certificate> chain() {
            return chain;
        }

        String trustError() {
            return trustError;
        }

        private void record(X509Certificate[] presented, String authType) {
            chain = presented == null ? List.of() : List.copyOf(new ArrayList<>(List.of(presented)));
            try {
                trust.checkServerTrusted(presented, authType);
                trustError = null;
            } catch (CertificateException | RuntimeException e) {
                trustError = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket)
                throws CertificateException {
            record(presented, authType);
            trust.checkServerTrusted(presented, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
                throws CertificateException {
            record(presented, authType);
            trust.checkServerTrusted(presented, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType) throws CertificateException {
            record(presented, authType);
            trust.checkServerTrusted(presented, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
                throws CertificateException {
            trust.checkClientTrusted(presented, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
                throws CertificateException {
            trust.checkClientTrusted(presented, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
            trust.checkClientTrusted(presented, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
