package io.gatewise.observe;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import io.gatewise.failure.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per upstream failure, as {@code key=value} pairs that log tools can parse, on the
 * logger {@value #LOGGER} at WARN:
 *
 * <pre>
 * incident=7K2MX9QD4RTA type=connection_refused status=502 cause=upstream_down phase=connect
 * route=/api/ upstream=127.0.0.1:9001 elapsed_ms=3 attempts=1 committed=false method=GET
 * path=/api/users client=127.0.0.1 reason="connection refused"
 * </pre>
 */
public final class FailureLog implements FailureListener {
    /** The logger's name. */
    public static final String LOGGER = "io.gatewise.failure";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void onFailure(FailureEvent event) {
        if (LOG.isWarnEnabled()) {
            LOG.warn(line(event));
        }
    }

    /**
     * @param event a failure
     * @return its log line
     */
    public static String line(FailureEvent event) {
        UpstreamFailure failure = event.failure();
        StringBuilder line = new StringBuilder(256)
                .append("incident=").append(failure.incident())
                .append(" type=").append(failure.type().token())
                .append(" status=").append(failure.status())
                .append(" cause=").append(failure.cause().token())
                .append(" phase=").append(failure.phase().token())
                .append(" route=").append(failure.route().orElse("-"))
                .append(" upstream=").append(failure.upstream().orElse("-"))
                .append(" elapsed_ms=").append(failure.elapsed().toMillis())
                .append(" attempts=").append(failure.attemptCount())
                .append(" committed=").append(failure.responseCommitted())
                .append(" method=").append(safe(event.method()))
                .append(" path=").append(safe(event.path()))
                .append(" client=").append(safe(event.client()));
        line.append(" reason=");
        quoted(line, failure.reason());
        if (!failure.detail().isEmpty()) {
            line.append(" detail=");
            quoted(line, failure.detail());
        }
        return line.toString();
    }

    private static String safe(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder safe = new StringBuilder(value.length());
        for (int i = 0; i < value.length() && i < 512; i++) {
            char c = value.charAt(i);
            safe.append(c > 0x20 && c < 0x7F && c != '"' ? c : '_');
        }
        return safe.toString();
    }

    private static void quoted(StringBuilder line, String value) {
        line.append('"');
        for (int i = 0; i < value.length() && i < 1024; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else {
                line.append(c >= 0x20 && c != 0x7F ? c : ' ');
            }
        }
        line.append('"');
    }
}
