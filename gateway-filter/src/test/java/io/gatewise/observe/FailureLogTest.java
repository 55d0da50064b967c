package io.gatewise.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failure log's lines, on a clock the test moves. */
class FailureLogTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final FailureLog log = new FailureLog(lines::add, now::get);

    private static FailureEvent event(ProxyErrorType type) {
        return new FailureEvent(UpstreamFailure.builder().type(type).phase(Phase.ROUTE).incident(IncidentIds.next())
                .reason("test").build(), "GET", "/x", "127.0.0.1");
    }

    @Test
    void aLoopAnyVisitorCanForgeIsLoggedOncePerQuietPeriodWithWhatWasLeftOut() {
        for (int i = 0; i < 100; i++) {
            log.onFailure(event(ProxyErrorType.PROXY_LOOP_DETECTED));
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("type=proxy_loop_detected").doesNotContain("suppressed=");

        now.addAndGet(TimeUnit.SECONDS.toNanos(FailureLog.QUIET_SECONDS));
        log.onFailure(event(ProxyErrorType.PROXY_LOOP_DETECTED));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).endsWith(" suppressed=99");
    }

    @Test
    void everyOtherFailureGetsItsOwnLine() {
        for (int i = 0; i < 5; i++) {
            log.onFailure(event(ProxyErrorType.CONNECTION_REFUSED));
        }
        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).contains("type=connection_refused"));
    }
}
