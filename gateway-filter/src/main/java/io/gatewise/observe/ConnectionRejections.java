package io.gatewise.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections the listener turned away or cut short to protect itself from its clients, counted
 * by reason for the metrics and the status page, and logged at most once a minute per reason (a
 * flood of slow clients must not become a flood of log lines).
 */
public final class ConnectionRejections {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRejections.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    /** Why a connection was turned away. */
    public enum Reason {
        /** {@code gateway.limits.maxConnections} was reached: the listener stopped accepting until one closed. */
        MAX_CONNECTIONS("gateway.limits.maxConnections", "the listener stopped accepting; new connections wait in"
                + " the backlog (counted each time the limit is reached)"),
        /** One client address held {@code gateway.limits.maxConnectionsPerClient}: the next was closed at once. */
        MAX_CONNECTIONS_PER_CLIENT("gateway.limits.maxConnectionsPerClient", "closed at once"),
        /** A request head took longer than {@code gateway.limits.requestHeadTimeout}: answered 408 and closed. */
        REQUEST_HEAD_TIMEOUT("gateway.limits.requestHeadTimeout", "answered 408 and closed");

        private final String key;
        private final String action;

        Reason(String key, String action) {
            this.key = key;
            this.action = action;
        }

        /** @return its label value, such as {@code max_connections_per_client} */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the config key of the limit */
        public String key() {
            return key;
        }

        /** @return what happens to a connection turned away for it */
        public String action() {
            return action;
        }
    }

    private final Clock clock;
    private final Consumer<String> log;
    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final Map<Reason, AtomicLong> nextLogMillis = new EnumMap<>(Reason.class);
    private final Map<Reason, AtomicLong> unlogged = new EnumMap<>(Reason.class);

    /** @param clock times the log lines */
    public ConnectionRejections(Clock clock) {
        this(clock, LOG::warn);
    }

    /**
     * @param clock times the log lines
     * @param log where the lines go
     */
    ConnectionRejections(Clock clock, Consumer<String> log) {
        this.clock = clock;
        this.log = log;
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
            nextLogMillis.put(reason, new AtomicLong(Long.MIN_VALUE));
            unlogged.put(reason, new AtomicLong());
        }
    }

    /**
     * Counts one rejection, and logs it unless a line for the same reason was written in the last minute.
     *
     * @param reason why
     * @param client the client's address, for the log line
     * @param limit the limit's value, for the log line
     */
    public void rejected(Reason reason, String client, Object limit) {
        counts.get(reason).increment();
        unlogged.get(reason).incrementAndGet();
        long now = clock.millis();
        AtomicLong next = nextLogMillis.get(reason);
        long due = next.get();
        if (now >= due && next.compareAndSet(due, now + LOG_INTERVAL.toMillis())) {
            log.accept("connection rejected: reason=" + reason.token() + " client=" + client + " limit=" + reason.key()
                    + "=" + limit + " (" + reason.action + "); " + unlogged.get(reason).getAndSet(0)
                    + " since the last such line, the next at most in a minute");
        }
    }

    /** @return each reason's label value and its count, read anew at each call of the supplier */
    public Map<String, LongSupplier> countsByReason() {
        Map<String, LongSupplier> counts = new LinkedHashMap<>();
        for (Reason reason : Reason.values()) {
            counts.put(reason.token(), () -> count(reason));
        }
        return counts;
    }

    /**
     * @param reason a reason
     * @return how many connections were rejected for it since the start
     */
    public long count(Reason reason) {
        return counts.get(reason).sum();
    }
}
