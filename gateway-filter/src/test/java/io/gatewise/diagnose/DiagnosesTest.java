package io.gatewise.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.HealthCheckConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TlsConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.runtime.Gateway;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.testing.tls.TestCertificates;
import io.gatewise.testing.tls.TestCertificates.Leaf;
import io.gatewise.testing.tls.TlsUpstream;
import io.gatewise.upstream.UpstreamState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway's diagnoses: run in the background when an upstream turns unhealthy, shown in
 * the operator view of the error page and its problem+json (never in the visitor's), and the
 * certificate expiry the alerts read.
 */
class DiagnosesTest {
    private static final String OPERATOR_TOKEN = "operator-token-0123456789";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private RunningGateway refusingGateway(String refused, TestClock clock) throws Exception {
        return gateways.builder().clock(clock)
                .route(RouteConfig.builder().path("/api/").upstream(refused)
                        .healthCheck(HealthCheckConfig.builder().path("/health").unhealthyThreshold(1)
                                .interval(Duration.ofHours(1)).build()).build())
                .gatewayErrorPages(ErrorPagesConfig.builder().operator(new ErrorPagesConfig.Operator()
                        .token(OPERATOR_TOKEN)).build())
                .start();
    }

    @Test
    void anUpstreamTurningUnhealthyIsDiagnosedInTheBackgroundOnceAndKept() throws Exception {
        String refused = "http://127.0.0.1:" + ClosedPort.find();
        TestClock clock = new TestClock();
        RunningGateway running = refusingGateway(refused, clock);
        Gateway gateway = running.server().gateway();
        Diagnoses diagnoses = gateway.diagnoses();
        diagnoses.watchNow().get(20, TimeUnit.SECONDS);
        assertThat(diagnoses.latest("/api/", refused)).as("healthy so far: nothing to diagnose").isEmpty();

        gateway.checkHealthNow().get(20, TimeUnit.SECONDS);
        assertThat(gateway.route("/api/").orElseThrow().upstreamStatuses().get(0).state())
                .isEqualTo(UpstreamState.UNHEALTHY);
        diagnoses.watchNow().get(20, TimeUnit.SECONDS);

        Diagnosis diagnosis = diagnoses.latest("/api/", refused).orElseThrow();
        assertThat(diagnosis.verdict().type().orElseThrow().token()).isEqualTo("connection_refused");
        // Past the interval in which a run would be reused anyway: only the unchanged state keeps it.
        clock.advance(Diagnoses.DEFAULT_INTERVAL.plusSeconds(1));
        diagnoses.watchNow().get(20, TimeUnit.SECONDS);
        assertThat(diagnoses.latest("/api/", refused)).as("still unhealthy: not diagnosed again").containsSame(
                diagnosis);
        assertThat(diagnoses.certificateNotAfter("/api/", refused)).as("an http upstream").isEmpty();
    }

    @Test
    void theOperatorViewShowsTheUpstreamsLatestDiagnosisAndTheVisitorsDoesNot() throws Exception {
        String refused = "http://127.0.0.1:" + ClosedPort.find();
        RunningGateway running = refusingGateway(refused, new TestClock());
        running.server().gateway().diagnoses().diagnose("/api/", Optional.empty(), false);

        ContentResponse problem = running.get("/api/orders", headers -> headers
                .put("Accept", "application/problem+json").put(ErrorPagesConfig.TOKEN_HEADER, OPERATOR_TOKEN));
        JsonNode diagnosis = json.readTree(problem.getContentAsString()).get("operator").get("diagnosis");
        assertThat(diagnosis.get("verdict").asText()).startsWith("FAILED connection_refused (cause upstream_down,"
                + " phase connect)");
        assertThat(diagnosis.get("steps")).extracting(step -> step.get("step").asText() + " " + step.get("state")
                .asText()).containsExactly("resolve ok", "connect failed", "tls skipped", "http skipped");

        ContentResponse page = running.get("/api/orders", headers -> headers.put("Accept", "text/html")
                .put(ErrorPagesConfig.TOKEN_HEADER, OPERATOR_TOKEN));
        assertThat(page.getContentAsString()).contains("Latest diagnosis of this upstream")
                .contains("<code>connect</code> failed");

        ContentResponse visitor = running.get("/api/orders", headers -> headers
                .put("Accept", "application/problem+json"));
        assertThat(json.readTree(visitor.getContentAsString()).has("operator")).isFalse();
        assertThat(running.get("/api/orders").getContentAsString()).doesNotContain("diagnosis");
    }

    /** A route /secure/ to a TLS upstream with a valid certificate from the test CA. */
    private record Secure(TlsUpstream upstream, Diagnoses diagnoses) {
    }

    private Secure secureRoute() throws Exception {
        String caFile = Files.writeString(dir.resolve("ca.pem"), TestCertificates.caPem()).toString();
        TlsUpstream upstream = gateways.tlsUpstream(TestCertificates.serverKeyStore(Leaf.VALID));
        RunningGateway running = gateways.builder()
                .route(RouteConfig.builder().path("/secure/").upstream(upstream.url())
                        .tls(TlsConfig.builder().caFile(caFile).build()).build())
                .start();
        return new Secure(upstream, running.server().gateway().diagnoses());
    }

    @Test
    void aHealthyHttpsUpstreamsCertificateIsLearntWithoutAnyFailure() throws Exception {
        Secure secure = secureRoute();

        secure.diagnoses().watchNow().get(20, TimeUnit.SECONDS);

        assertThat(secure.diagnoses().certificateNotAfter("/secure/", secure.upstream().url()))
                .contains(TestCertificates.chain(Leaf.VALID).get(0).getNotAfter().toInstant());
    }

    @Test
    void certificateExpiryIsReadFromTheLatestDiagnosis() throws Exception {
        Secure secure = secureRoute();
        Diagnoses diagnoses = secure.diagnoses();
        TlsUpstream upstream = secure.upstream();

        List<Diagnoses.Run> runs = diagnoses.diagnose("/secure/", Optional.empty(), false);

        assertThat(runs).singleElement().satisfies(run -> assertThat(run.diagnosis().ok()).isTrue());
        assertThat(diagnoses.certificateNotAfter("/secure/", upstream.url()))
                .contains(TestCertificates.chain(Leaf.VALID).get(0).getNotAfter().toInstant());
    }
}
