package io.gatewise.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final TestClock clock = new TestClock();

    @Test
    void retriesStayWithinThePercentOfRequests() {
        RetryBudget budget = new RetryBudget("/test/", 20, 0, clock);
        for (int i = 0; i < 10; i++) {
            budget.onRequest();
        }

        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).as("20% of 10 requests is 2 retries").isFalse();
        assertThat(budget.refused()).isEqualTo(1);
    }

    @Test
    void theFloorAllowsRetriesOnAQuietRoute() {
        RetryBudget budget = new RetryBudget("/test/", 20, 1, clock);
        budget.onRequest();

        for (int i = 0; i < RetryBudget.WINDOW_SECONDS; i++) {
            assertThat(budget.tryRetry()).as("retry " + i + " of the floor").isTrue();
        }
        assertThat(budget.tryRetry()).as("one per second over a 10 s window").isFalse();
    }

    @Test
    void requestsAndRetriesOlderThanTheWindowNoLongerCount() {
        RetryBudget budget = new RetryBudget("/test/", 50, 0, clock);
        for (int i = 0; i < 4; i++) {
            budget.onRequest();
        }
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();

        clock.advance(Duration.ofSeconds(5));
        budget.onRequest();
        budget.onRequest();
        assertThat(budget.tryRetry()).as("6 requests in the window: 3 retries").isTrue();
        assertThat(budget.tryRetry()).isFalse();

        clock.advance(Duration.ofSeconds(6));
        assertThat(budget.tryRetry()).as("only the later 2 requests and 1 retry remain").isFalse();
        budget.onRequest();
        budget.onRequest();
        assertThat(budget.tryRetry()).as("4 requests, 1 retry in the window").isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }

    @Test
    void aZeroBudgetWithoutFloorNeverRetries() {
        RetryBudget budget = new RetryBudget("/test/", 0, 0, clock);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(budget.tryRetry()).isFalse();
    }
}
