package io.gatewise.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.client.DnsCache;
import io.gatewise.config.DnsCacheConfig;
import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.errorpage.PageLanguage;
import io.gatewise.failure.DnsLookupException;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.TestClock;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import io.gatewise.testing.tls.TlsUpstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step's failure staged for real on loopback: a name the injected resolver says does not
 * exist, a refused port, a black-holed port, certificates generated in the test (self-signed,
 * expired, for another host), and an upstream that answers 503 itself. No lookup reaches the
 * machine's resolver: every name goes through a resolver of the test's.
 */
class DiagnosticianTest {
    @TempDir
    static Path dir;

    private static String caFile;

    @RegisterExtension
    final GatewayExtension upstreams = new GatewayExtension();

    private Diagnostician diagnostician;

    @BeforeAll
    static void writeCaFile() throws Exception {
        caFile = Files.writeString(dir.resolve("test-ca.pem"), TestCertificates.caPem()).toString();
    }

    @AfterEach
    void close() {
        if (diagnostician != null) {
            diagnostician.close();
        }
    }

    /** Answers every name with 127.0.0.1, and counts the lookups. */
    private static final class LoopbackResolver implements SocketAddressResolver {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                Promise<List<InetSocketAddress>> promise) {
            lookups.incrementAndGet();
            try {
                promise.succeeded(List.of(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                        port)));
            } catch (IOException e) {
                promise.failed(e);
            }
        }
    }

    private Diagnosis diagnose(SocketAddressResolver resolver, RouteConfig route) {
        return diagnose(resolver, null, route, Clock.systemUTC());
    }

    private Diagnosis diagnose(SocketAddressResolver resolver, DnsCache cache, RouteConfig route, Clock clock) {
        diagnostician = Diagnostician.create(resolver, cache, List.of(), clock);
        return diagnostician.diagnose(DiagnosisTarget.of(route, route.upstreams().get(0)), false);
    }

    private static RouteConfig.Builder route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url);
    }

    private static RouteConfig tlsRoute(TlsUpstream upstream) {
        return route("https://localhost:" + upstream.port()).tls(TlsConfig.builder().caFile(caFile).build()).build();
    }

    private static void assertSteps(Diagnosis diagnosis, Boolean... states) {
        assertThat(diagnosis.steps()).extracting(step -> step.step().token())
                .containsExactly("resolve", "connect", "tls", "http");
        assertThat(diagnosis.steps()).extracting(StepResult::ok).containsExactly(states);
    }

    private static void assertVerdict(Diagnosis diagnosis, ProxyErrorType type, String cause, Phase phase) {
        assertThat(diagnosis.ok()).isFalse();
        assertThat(diagnosis.verdict().type()).contains(type);
        assertThat(diagnosis.verdict().cause()).contains(cause);
        assertThat(diagnosis.verdict().phase()).contains(phase);
    }

    @Test
    void nameTheResolverSaysIsGoneIsDnsErrorWithItsRcodeAndTheDnsHints() {
        SocketAddressResolver nxdomain = (host, port, context, promise) -> promise.failed(
                DnsLookupException.failed(host, "NXDOMAIN"));

        Diagnosis diagnosis = diagnose(nxdomain, route("http://orders.internal:8080").build());

        assertSteps(diagnosis, false, null, null, null);
        assertVerdict(diagnosis, ProxyErrorType.DNS_ERROR, "dns", Phase.RESOLVE);
        assertThat(diagnosis.verdict().parameters()).containsEntry("rcode", "NXDOMAIN");
        assertThat(diagnosis.step(Step.RESOLVE).detail()).containsEntry("host", "orders.internal")
                .containsEntry("cached", null);
        assertThat(diagnosis.step(Step.RESOLVE).summary()).contains("NXDOMAIN");
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.ENGLISH)).first().asString().contains("dig");
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.CHINESE)).first().asString().contains("解析");
    }

    @Test
    void resolveShowsTheCachedAnswerBesideTheLookupWithItsAge() throws Exception {
        TestClock clock = new TestClock();
        DnsCache cache = new DnsCache(DnsCacheConfig.defaults(), clock);
        LoopbackResolver resolver = new LoopbackResolver();
        CompletableFuture<List<InetSocketAddress>> warmed = new CompletableFuture<>();
        cache.over(resolver).resolve("orders.internal", ClosedPort.find(), Map.of(),
                Promise.from(warmed::complete, warmed::completeExceptionally));
        warmed.get();
        int port = warmed.get().get(0).getPort();
        clock.advance(Duration.ofSeconds(12));

        Diagnosis diagnosis = diagnose(resolver, cache, route("http://orders.internal:" + port).build(), clock);

        StepResult resolve = diagnosis.step(Step.RESOLVE);
        assertThat(resolve.ok()).isTrue();
        assertThat(resolve.summary()).isEqualTo("orders.internal -> 127.0.0.1 (cached 12 s ago)");
        assertThat(resolve.detail().get("cached")).isEqualTo(Map.of("addresses", List.of("127.0.0.1"), "age_s", 12L,
                "stale", false));
        assertThat(resolver.lookups).as("the warm-up and the fresh lookup").hasValue(2);
    }

    @Test
    void refusedPortIsConnectionRefusedAtConnectWithTheUpstreamDownHints() throws Exception {
        Diagnosis diagnosis = diagnose(new LoopbackResolver(), route("http://orders.internal:" + ClosedPort.find())
                .build());

        assertSteps(diagnosis, true, false, null, null);
        assertVerdict(diagnosis, ProxyErrorType.CONNECTION_REFUSED, "upstream_down", Phase.CONNECT);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tried = (List<Map<String, Object>>) diagnosis.step(Step.CONNECT).detail()
                .get("addresses");
        assertThat(tried).singleElement().satisfies(attempt -> assertThat(attempt).containsEntry("ok", false)
                .containsEntry("error", "refused"));
        assertThat(diagnosis.step(Step.TLS).detail()).containsEntry("reason", "not an https upstream");
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.ENGLISH)).first().asString()
                .contains("upstream process is running");
    }

    @Test
    void blackholedPortIsConnectionTimeoutWithinTheRoutesConnectTimeout() throws Exception {
        BlackholeUpstream blackhole = upstreams.blackholeUpstream();
        RouteConfig route = route("http://orders.internal:" + blackhole.port())
                .timeouts(TimeoutsConfig.builder().connect(Duration.ofMillis(300)).build()).build();

        Diagnosis diagnosis = diagnose(new LoopbackResolver(), route);

        assertSteps(diagnosis, true, false, null, null);
        assertVerdict(diagnosis, ProxyErrorType.CONNECTION_TIMEOUT, "firewall", Phase.CONNECT);
        assertThat(diagnosis.step(Step.CONNECT).detail()).containsEntry("timeout_ms", 300);
        assertThat(diagnosis.step(Step.CONNECT).summary()).endsWith("timed_out");
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.ENGLISH)).first().asString().contains("firewall");
    }

    @Test
    void trustedCertificatePassesWithProtocolChainAndExpiry() throws Exception {
        TlsUpstream upstream = upstreams.tlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));

        Diagnosis diagnosis = diagnose(new LoopbackResolver(), tlsRoute(upstream));

        assertSteps(diagnosis, true, true, true, true);
        assertThat(diagnosis.verdict().reason()).isEqualTo("ok");
        assertThat(diagnosis.step(Step.TLS).detail()).containsEntry("sni", "localhost")
                .containsEntry("host_matches", true).containsEntry("trusted", true)
                .containsKeys("protocol", "cipher", "chain");
        assertThat(diagnosis.certificateNotAfter())
                .contains(TestCertificates.chain(Leaf.VALID).get(0).getNotAfter().toInstant());
        assertThat(diagnosis.step(Step.HTTP).detail()).containsEntry("method", "HEAD").containsEntry("status", 200)
                .containsEntry("upstream_5xx", false);
        assertThat(upstream.handledRequests()).isEqualTo(1);
    }

    @Test
    void selfSignedCertificateIsTlsCertificateErrorAndTheChainIsShownUntrusted() throws Exception {
        Diagnosis diagnosis = diagnose(new LoopbackResolver(), tlsRoute(upstreams.tlsUpstream(
                TestCertificates.serverKeyStore(Leaf.SELF_SIGNED))));

        assertSteps(diagnosis, true, true, false, null);
        assertVerdict(diagnosis, ProxyErrorType.TLS_CERTIFICATE_ERROR, "tls", Phase.TLS);
        assertThat(diagnosis.verdict().reason()).contains("not issued by a trusted authority");
        assertThat(diagnosis.step(Step.TLS).detail()).containsEntry("trusted", false)
                .containsEntry("host_matches", true);
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.ENGLISH)).anySatisfy(hint -> assertThat(hint)
                .contains("[routes[].tls.caFile]"));
    }

    @Test
    void expiredCertificateIsTlsCertificateErrorWithNegativeDaysLeft() throws Exception {
        Diagnosis diagnosis = diagnose(new LoopbackResolver(), tlsRoute(upstreams.tlsUpstream(
                TestCertificates.serverKeyStore(Leaf.EXPIRED))));

        assertSteps(diagnosis, true, true, false, null);
        assertVerdict(diagnosis, ProxyErrorType.TLS_CERTIFICATE_ERROR, "tls", Phase.TLS);
        assertThat(diagnosis.verdict().reason()).isEqualTo("certificate expired");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) diagnosis.step(Step.TLS).detail().get("chain");
        assertThat((Long) chain.get(0).get("days_left")).isNegative();
        assertThat(diagnosis.certificateNotAfter()).as("known even when the handshake fails")
                .contains(TestCertificates.chain(Leaf.EXPIRED).get(0).getNotAfter().toInstant());
    }

    @Test
    void certificateForAnotherHostIsTlsCertificateErrorThoughTrusted() throws Exception {
        Diagnosis diagnosis = diagnose(new LoopbackResolver(), tlsRoute(upstreams.tlsUpstream(
                TestCertificates.serverKeyStore(Leaf.WRONG_HOST))));

        assertSteps(diagnosis, true, true, false, null);
        assertVerdict(diagnosis, ProxyErrorType.TLS_CERTIFICATE_ERROR, "tls", Phase.TLS);
        assertThat(diagnosis.step(Step.TLS).detail()).containsEntry("trusted", true)
                .containsEntry("host_matches", false)
                .containsEntry("names", List.of("DNS:" + TestCertificates.WRONG_HOST_NAME));
    }

    @Test
    void upstreamAnswering503ToItsHealthCheckFailsTheHttpStepAsItsOwnError() throws Exception {
        JettyUpstream upstream = upstreams.jettyUpstream(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(503);
            }
        });
        RouteConfig route = route(upstream.url()).healthCheck(HealthCheckConfig.builder().path("/health").build())
                .build();

        Diagnosis diagnosis = diagnose(new LoopbackResolver(), route);

        assertSteps(diagnosis, true, true, null, false);
        assertThat(diagnosis.verdict().type()).isEmpty();
        assertThat(diagnosis.verdict().cause()).contains(Verdict.UPSTREAM_ERROR);
        assertThat(diagnosis.verdict().receivedStatus()).contains(503);
        assertThat(diagnosis.step(Step.HTTP).detail()).containsEntry("method", "GET").containsEntry("path", "/health")
                .containsEntry("status", 503).containsEntry("upstream_5xx", true).containsEntry("expected_status", 200)
                .containsKey("server");
        assertThat(DiagnosisReport.hints(diagnosis, PageLanguage.ENGLISH)).first().asString()
                .contains("answered an error status itself");
    }
}
