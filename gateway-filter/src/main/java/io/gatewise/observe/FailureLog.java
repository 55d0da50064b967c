package io.gatewise.observe;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per upstream failure, as {@code key=value} pairs that log tools can parse, on the
 * logger {@value #LOGGER} at WARN:
 *
 * <pre>
 * incident=7K2MX9QD4RTA type=connection_refused status=502 cause=upstream_down phase=connect
 * route=/api/ upstream=127.0.0.1:9001 elapsed_ms=3 attempts=1 committed=false method=GET
 * path=/api/users client=127.0.0.1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 reason="connection refused"
 * </pre>
 *
 * <p>{@code trace_id} is the request's trace ({@code -} when it is in none): find the trace by it.
 *
 * <p>Failures any visitor can cause at will ({@code proxy_loop_detected}: anyone can send
 * {@code Via} with the gateway's name) are logged at most once per {@value #QUIET_SECONDS} seconds
 * each, with how many were left out since, so a flood cannot bury the log; they are still answered,
 * recorded into request attributes and told to every other listener.
 */
public final class FailureLog implements FailureListener {
    /** The logger's name. */
    public static final String LOGGER = "io.gatewise.failure";
    /** How long a visitor-caused type stays quiet after a line. */
    public static final int QUIET_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Consumer<String> DEFAULT_SINK = FailureLog::warn;
    private static final Set<ProxyErrorType> VISITOR_CAUSED = EnumSet.of(ProxyErrorType.PROXY_LOOP_DETECTED);

    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final Map<ProxyErrorType, Quiet> quiet = new EnumMap<>(ProxyErrorType.class);

    /** Logs to {@value #LOGGER}. */
    public FailureLog() {
        this(DEFAULT_SINK, System::nanoTime);
    }

    /**
     * @param sink where lines go
     * @param nanoTime the time source of the quiet periods (a controllable one in tests)
     */
    public FailureLog(Consumer<String> sink, LongSupplier nanoTime) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        VISITOR_CAUSED.forEach(type -> quiet.put(type, new Quiet()));
    }

    @Override
    public void onFailure(FailureEvent event) {
        if (sink == DEFAULT_SINK && !LOG.isWarnEnabled()) {
            return;
        }
        Quiet limit = quiet.get(event.failure().type());
        if (limit == null) {
            sink.accept(line(event));
            return;
        }
        long suppressed = limit.pass(nanoTime.getAsLong());
        if (suppressed >= 0) {
            sink.accept(suppressed == 0 ? line(event) : line(event) + " suppressed=" + suppressed);
        }
    }

    private static void warn(String line) {
        LOG.warn(line);
    }

    /** One visitor-caused type's quiet period: the first line passes, then one per period. */
    private static final class Quiet {
        private static final long PERIOD = TimeUnit.SECONDS.toNanos(QUIET_SECONDS);
        private long lastLine;
        private boolean logged;
        private long suppressed;

        /** @return how many were left out since the last line, when this one is logged; else -1 */
        synchronized long pass(long now) {
            if (logged && now - lastLine < PERIOD) {
                suppressed++;
                return -1;
            }
            logged = true;
            lastLine = now;
            long left = suppressed;
            suppressed = 0;
            return left;
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
                .append(" client=").append(safe(event.client()))
                .append(" trace_id=").append(failure.traceId().orElse("-"));
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
