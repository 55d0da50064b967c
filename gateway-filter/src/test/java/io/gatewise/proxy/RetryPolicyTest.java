package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.Retries;
import io.gatewise.failure.Classification;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import org.junit.jupiter.api.Test;

/**
 * The retry decision on its own, for the case loopback cannot stage on demand: a reset that
 * overtakes Jetty's report that the request head was written (the phase is still connect).
 */
class RetryPolicyTest {
    private static final Retries RETRIES = Retries.defaults();

    @Test
    void aPostWhoseHeadBeganToBeWrittenIsNotRetriedEvenIfTheWriteWasNeverReported() {
        Classification reset = Classification.of(ProxyErrorType.CONNECTION_TERMINATED, Phase.CONNECT, "reset");

        assertThat(RetryPolicy.decide(RETRIES, reset, true, "POST", false, 1, false).retry()).isFalse();
        assertThat(RetryPolicy.decide(RETRIES, reset, false, "POST", false, 1, false).retry())
                .as("nothing was written yet").isTrue();
        assertThat(RetryPolicy.decide(RETRIES, reset, true, "GET", false, 1, false).retry()).isTrue();
    }

    @Test
    void aFailedTlsHandshakeProvesTheUpstreamReadNothing() {
        Classification handshake = Classification.of(ProxyErrorType.TLS_PROTOCOL_ERROR, Phase.TLS, "not TLS");

        assertThat(RetryPolicy.decide(RETRIES, handshake, true, "POST", false, 1, false).retry()).isTrue();
    }

    @Test
    void aStreamedBodyACommittedResponseOrNoAttemptsLeftStopRetries() {
        Classification refused = Classification.of(ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT, "refused");

        assertThat(RetryPolicy.decide(RETRIES, refused, false, "GET", false, 1, false).retry()).isTrue();
        assertThat(RetryPolicy.decide(RETRIES, refused, false, "PUT", true, 1, false).reason())
                .startsWith("the request body streamed through");
        assertThat(RetryPolicy.decide(RETRIES, refused, false, "GET", false, 1, true).retry()).isFalse();
        assertThat(RetryPolicy.decide(RETRIES, refused, false, "GET", false, 3, false).retry()).isFalse();
    }

    @Test
    void anUpstreamStatusRetriesOnlyListedStatusesOfIdempotentRequests() {
        Retries retries = Retries.builder().onStatuses(java.util.List.of(502, 503)).build();

        assertThat(RetryPolicy.decideOnStatus(retries, 503, "GET", false, 1).retry()).isTrue();
        assertThat(RetryPolicy.decideOnStatus(retries, 503, "PUT", false, 1).retry()).isTrue();
        assertThat(RetryPolicy.decideOnStatus(retries, 504, "GET", false, 1).reason())
                .isEqualTo("the route does not retry on 504");
        assertThat(RetryPolicy.decideOnStatus(retries, 503, "POST", false, 1).reason())
                .isEqualTo("POST is not idempotent and the upstream may have processed it");
        assertThat(RetryPolicy.decideOnStatus(retries, 503, "PUT", true, 1).retry()).isFalse();
        assertThat(RetryPolicy.decideOnStatus(retries, 503, "GET", false, 3).retry()).as("no attempts left").isFalse();
        assertThat(RetryPolicy.decideOnStatus(Retries.defaults(), 503, "GET", false, 1).retry())
                .as("no status is retried unless listed").isFalse();
    }
}
