package io.gatewise.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.observe.ConnectionRejections.Reason;
import io.gatewise.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rejected connections are all counted, and logged at most once a minute per reason, on a clock the test moves. */
class ConnectionRejectionsTest {
    private final TestClock clock = new TestClock();
    private final List<String> lines = new ArrayList<>();
    private final ConnectionRejections rejections = new ConnectionRejections(clock, lines::add);

    @Test
    void aFloodOfRejectionsIsCountedWholeAndLoggedOnceAMinutePerReason() {
        for (int i = 0; i < 500; i++) {
            rejections.rejected(Reason.MAX_CONNECTIONS_PER_CLIENT, "127.0.0.9", 256);
        }
        rejections.rejected(Reason.REQUEST_HEAD_TIMEOUT, "127.0.0.8", "10000ms");

        assertThat(rejections.count(Reason.MAX_CONNECTIONS_PER_CLIENT)).isEqualTo(500);
        assertThat(rejections.count(Reason.REQUEST_HEAD_TIMEOUT)).isEqualTo(1);
        assertThat(rejections.count(Reason.MAX_CONNECTIONS)).isZero();
        assertThat(lines).containsExactly(
                "connection rejected: reason=max_connections_per_client client=127.0.0.9"
                        + " limit=gateway.limits.maxConnectionsPerClient=256 (closed at once); 1 since the last such line,"
                        + " the next at most in a minute",
                "connection rejected: reason=request_head_timeout client=127.0.0.8"
                        + " limit=gateway.limits.requestHeadTimeout=10000ms (answered 408 and closed); 1 since the last"
                        + " such line, the next at most in a minute");

        clock.advance(Duration.ofSeconds(59));
        rejections.rejected(Reason.MAX_CONNECTIONS_PER_CLIENT, "127.0.0.9", 256);
        assertThat(lines).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        rejections.rejected(Reason.MAX_CONNECTIONS_PER_CLIENT, "127.0.0.9", 256);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("; 501 since the last such line");
    }
}
