package io.gatewise.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** W3C Trace Context's {@code traceparent}, as the gateway reads it with tracing off. */
class TraceParentsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aWellFormedHeaderGivesItsTraceId() {
        assertThat(TraceParents.traceId("00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
        assertThat(TraceParents.traceId("00-" + TRACE + "-00f067aa0ba902b7-00")).as("unsampled").isEqualTo(TRACE);
        assertThat(TraceParents.traceId("cc-" + TRACE + "-00f067aa0ba902b7-01-future"))
                .as("a later version may append fields").isEqualTo(TRACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-" + TRACE + "-00f067aa0ba902b7-01-extra",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-" + TRACE + "-0000000000000000-01", "ff-" + TRACE + "-00f067aa0ba902b7-01",
        "00_" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-0g",
        "cc-" + TRACE + "-00f067aa0ba902b7-01x"})
    void aMalformedHeaderNamesNoTrace(String value) {
        assertThat(TraceParents.traceId(value)).isNull();
    }

    @Test
    void noHeaderNamesNoTrace() {
        assertThat(TraceParents.traceId(null)).isNull();
    }
}
