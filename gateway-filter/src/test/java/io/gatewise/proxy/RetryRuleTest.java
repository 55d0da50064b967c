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

    @Test
    void aPostWhoseHeadBeganToBeWrittenIsNotRetriedEvenIfTheWriteWasNeverReported() {
        Classification reset = Classification.of(ProxyErrorType.CONNECTION_TERMINATED, Phase.CONNECT, "reset");

        assertThat(RetryRule.onFailure(RETRIES, reset, true, new RetryRule.Facts("POST", false, 1, false)).retry()).isFalse();
        assertThat(RetryRule.onFailure(RETRIES, reset, false, new RetryRule.Facts("POST", false, 1, false)).retry())
                .as("nothing was written yet").isTrue();
        assertThat(RetryRule.onFailure(RETRIES, reset, true, new RetryRule.Facts("GET", false, 1, false)).retry()).isTrue();
    }

    @Test
    void aFailedTlsHandshakeProvesTheUpstreamReadNothing() {
        Classification handshake = Classification.of(ProxyErrorType.TLS_PROTOCOL_ERROR, Phase.TLS, "not TLS");

        assertThat(RetryRule.onFailure(RETRIES, handshake, true, new RetryRule.Facts("POST", false, 1, false)).retry()).isTrue();
    }

    @Test
    void aStreamedBodyACommittedResponseOrNoAttemptsLeftStopRetries() {
        Classification refused = Classification.of(ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT, "refused");

        assertThat(RetryRule.onFailure(RETRIES, refused, false, new RetryRule.Facts("GET", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onFailure(RETRIES, refused, false, new RetryRule.Facts("PUT", true, 1, false)).reason())
                .startsWith("the request body streamed through");
        assertThat(RetryRule.onFailure(RETRIES, refused, false, new RetryRule.Facts("GET", false, 1, true)).retry()).isFalse();
        assertThat(RetryRule.onFailure(RETRIES, refused, false, new RetryRule.Facts("GET", false, 3, false)).retry()).isFalse();
    }

    @Test
    void anUpstreamStatusRetriesOnlyListedStatusesOfIdempotentRequests() {
        RetryConfig retries = RetryConfig.builder().onStatuses(java.util.List.of(502, 503)).build();

        assertThat(RetryRule.onStatus(retries, 503, new RetryRule.Facts("GET", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onStatus(retries, 503, new RetryRule.Facts("PUT", false, 1, false)).retry()).isTrue();
        assertThat(RetryRule.onStatus(retries, 504, new RetryRule.Facts("GET", false, 1, false)).reason())
                .isEqualTo("the route does not retry on 504");
        assertThat(RetryRule.onStatus(retries, 503, new RetryRule.Facts("POST", false, 1, false)).reason())
                .isEqualTo("POST is not idempotent and the upstream may have processed it");
        assertThat(RetryRule.onStatus(retries, 503, new RetryRule.Facts("PUT", true, 1, false)).retry()).isFalse();
        assertThat(RetryRule.onStatus(retries, 503, new RetryRule.Facts("GET", false, 3, false)).retry()).as("no attempts left").isFalse();
        assertThat(RetryRule.onStatus(RetryConfig.defaults(), 503, new RetryRule.Facts("GET", false, 1, false)).retry())
                .as("no status is retried unless listed").isFalse();
    }
}
