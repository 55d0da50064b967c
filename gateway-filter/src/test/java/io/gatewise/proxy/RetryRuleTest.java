package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RetryConfig;
import io.gatewise.failure.Classification;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import org.junit.jupiter.api.Test;

/**
 * The retry decision on its own, for the case loopback cannot stage on demand: a reset that
 * overtakes Jetty's report that the request head was written (the phase is still connect).
 */
class RetryRuleTest {
    private static final RetryConfig RETRIES = RetryConfig.defaults();

    private static RetryRule.Facts facts(String method, boolean bodyStreamed, int attemptsMade,
            boolean responseStarted) {
        return new RetryRule.Facts(method, bodyStreamed, attemptsMade, responseStarted, responseStarted);
    }

    @Test
    void aPostWhoseHeadBeganToBeWrittenIsNotRetriedEvenIfTheWriteWasNeverReported() {
        Classification reset = Classification.of(ProxyErrorType.CONNECTION_TERMINATED, Phase.CONNECT, "reset");

        assertThat(RetryRule.onFailure(RETRIES, reset, true, facts("POST", false, 1, false)).retry()).isFalse();
        assertThat(RetryRule.onFailure(RETRIES, reset, false, facts("POST", false, 1, false)).retry())
                .as("nothing was written yet").isTrue();
        assertThat(RetryRule.onFailure(RETRIES, reset, true, facts("GET", false, 1, false)).retry()).isTrue();
    }

    @Test
    void aFailedTlsHandshakeProvesTheUpstreamReadNothing() {
        Classification handshake = Classification.of(ProxyErrorType.TLS_PROTOCOL_ERROR, Phase.TLS, "not TLS");

        assertThat(RetryRule.onFailure(RETRIES, handshake, true, facts("POST", false, 1, false)).retry()).isTrue();
    }

    @Test
    void aStreamedBodyACommittedResponseOrNoAttemptsLeftStopRetries() {
        Classification refused = Classification.of(ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT, "refused");

        assertThat(RetryRule.onFailure(RETRIES, refused, false, facts("GET", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onFailure(RETRIES, refused, false, facts("PUT", true, 1, false)).reason())
                .startsWith("the request body streamed through");
        assertThat(RetryRule.onFailure(RETRIES, refused, false, facts("GET", false, 1, true)).retry()).isFalse();
        assertThat(RetryRule.onFailure(RETRIES, refused, false, facts("GET", false, 3, false)).retry()).isFalse();
    }

    @Test
    void anUpstreamStatusRetriesOnlyListedStatusesOfIdempotentRequests() {
        RetryConfig retries = RetryConfig.builder().onStatuses(java.util.List.of(502, 503)).build();

        assertThat(RetryRule.onStatus(retries, 503, facts("GET", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onStatus(retries, 503, facts("PUT", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onStatus(retries, 504, facts("GET", false, 1, false)).reason())
                .isEqualTo("the route does not retry on 504");
        assertThat(RetryRule.onStatus(retries, 503, facts("POST", false, 1, false)).reason())
                .isEqualTo("POST is not idempotent and the upstream may have processed it");
        assertThat(RetryRule.onStatus(retries, 503, facts("PUT", true, 1, false)).retry()).isFalse();
        assertThat(RetryRule.onStatus(retries, 503, facts("GET", false, 3, false)).retry()).as("no attempts left").isFalse();
        assertThat(RetryRule.onStatus(RetryConfig.defaults(), 503, facts("GET", false, 1, false)).retry())
                .as("no status is retried unless listed").isFalse();
    }
}
