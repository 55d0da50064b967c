package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.failure.FailureCause;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.observe.FailureLog;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.ContentResponse;

/**
 * The checks every answered failure must pass: the status, {@code Proxy-Status} read back as a
 * structured field, the error page's request attributes, and exactly one failure event whose log
 * line says the same.
 */
public final class FailureAssertions {
    private FailureAssertions() {
    }

    /**
     * Checks a failure the gateway answered itself, before any byte of a response was sent.
     *
     * @param gateway the gateway
     * @param response the client's response
     * @param type the expected RFC 9209 type
     * @param status the expected status
     * @param cause the expected cause
     * @param phase the expected phase
     * @param nextHop the expected next hop ({@code host:port}), or null when none was chosen; in
     *     {@code Proxy-Status} only with {@code proxyStatus: full}, the visitor view never names it
     * @return the recorded failure, for further checks
     * @throws InterruptedException if interrupted while waiting for the event
     */
    public static UpstreamFailure assertAnswered(RunningGateway gateway, ContentResponse response, ProxyErrorType type,
            int status, FailureCause cause, Phase phase, String nextHop) throws InterruptedException {
        return assertAnswered(gateway, response, type, status, cause, EnumSet.of(phase), nextHop);
    }

    /**
     * As {@link #assertAnswered(RunningGateway, ContentResponse, ProxyErrorType, int, FailureCause, Phase,
     * String)}, where a race of the upstream's reaction with Jetty's own events may decide between
     * phases.
     *
     * @param gateway the gateway
     * @param response the client's response
     * @param type the expected RFC 9209 type
     * @param status the expected status
     * @param cause the expected cause
     * @param phases the phases the failure may be recorded in
     * @param nextHop the expected next hop ({@code host:port}), or null when none was chosen
     * @return the recorded failure, for further checks
     * @throws InterruptedException if interrupted while waiting for the event
     */
    public static UpstreamFailure assertAnswered(RunningGateway gateway, ContentResponse response, ProxyErrorType type,
            int status, FailureCause cause, Set<Phase> phases, String nextHop) throws InterruptedException {
        assertThat(response.getStatus()).as("status").isEqualTo(status);
        assertThat(response.getHeaders().get("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getHeaders().get("X-Content-Type-Options")).isEqualTo("nosniff");

        RunningGateway.Member member = RunningGateway.lastProxyStatusMember(response);
        assertThat(member.name()).isEqualTo(RunningGateway.NAME);
        assertThat(member.parameters()).containsEntry("error", type.token());
        if (nextHop != null) {
            assertThat(member.parameters()).containsEntry("next-hop", nextHop);
        } else {
            assertThat(member.parameters()).doesNotContainKey("next-hop");
        }
        assertThat(member.parameters()).as("no operator detail for visitors").doesNotContainKey("details");

        Map<String, String> page = gateway.failureAttributes(response);
        assertThat(page).containsEntry(FailureAttributes.TYPE, type.token())
                .containsEntry(FailureAttributes.STATUS, String.valueOf(status))
                .containsEntry(FailureAttributes.CAUSE, cause.token())
                .containsEntry(FailureAttributes.COMMITTED, "false");
        if (nextHop != null) {
            assertThat(page).containsEntry(FailureAttributes.UPSTREAM, nextHop);
        }
        String recordedPhase = page.get(FailureAttributes.PHASE);
        assertThat(recordedPhase).as("phase").isIn(phases.stream().map(Phase::token).toArray());

        FailureEvent event = gateway.onlyEvent();
        UpstreamFailure failure = event.failure();
        assertThat(failure.type()).isEqualTo(type);
        assertThat(failure.cause()).isEqualTo(cause);
        assertThat(failure.phase().token()).isEqualTo(recordedPhase);
        assertThat(page).containsEntry(FailureAttributes.INCIDENT, failure.incident())
                .containsEntry("record.reason", failure.reason());
        if (gateway.answersWithTheAttributesPage()) {
            assertThat(page).containsEntry("jakarta.servlet.error.status_code", String.valueOf(status));
            assertThat(page.get("jakarta.servlet.error.message")).as("the message a default error page shows")
                    .contains(type.token(), failure.incident()).doesNotContain("Exception").doesNotContain("127.0.0.1");
        } else {
            assertThat(response.getHeaders().get("Content-Type")).as("the gateway's own page").isNotNull();
            assertThat(response.getContentAsString()).as("the gateway's own page names the incident")
                    .contains(failure.incident()).doesNotContain("Exception").doesNotContain("127.0.0.1");
        }
        assertThat(FailureLog.line(event)).contains("incident=" + failure.incident(), "type=" + type.token(),
                "status=" + status, "cause=" + cause.token(), "phase=" + recordedPhase);
        return failure;
    }

    /**
     * For a failure after the response head was sent: no error page is possible, the client sees
     * an incomplete response, and the failure is still recorded once.
     *
     * @param gateway the gateway
     * @param type the expected type
     * @param cause the expected cause
     * @param phase the expected phase
     * @return the recorded failure
     * @throws InterruptedException if interrupted while waiting for the event
     */
    public static UpstreamFailure assertRecordedAfterCommit(RunningGateway gateway, ProxyErrorType type,
            FailureCause cause, Phase phase) throws InterruptedException {
        FailureEvent event = gateway.onlyEvent();
        UpstreamFailure failure = event.failure();
        assertThat(failure.type()).isEqualTo(type);
        assertThat(failure.cause()).isEqualTo(cause);
        assertThat(failure.phase()).isEqualTo(phase);
        assertThat(failure.responseCommitted()).isTrue();
        assertThat(FailureLog.line(event)).contains("type=" + type.token(), "committed=true");
        return failure;
    }
}
