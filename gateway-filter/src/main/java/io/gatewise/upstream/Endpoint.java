package io.gatewise.upstream;

import io.gatewise.config.CircuitBreakerConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.UpstreamConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream of a pool at run time: its configuration and what it is doing, including passive
 * health: after the configured number of failures in a row it is ejected (out of rotation) for a
 * time that doubles with each ejection, if the pool allows one more out.
 */
public final class Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    private volatile UpstreamConfig config;
    private final String nextHop;
    private final String base;
    private final URI origin;
    private final EjectionConfig ejection;
    private final Clock clock;
    private volatile BooleanSupplier mayEject;
    private final CircuitBreakerConfig circuitBreaking;
    private final Circuit circuit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile int consecutiveFailures;
    private int ejections;
    private volatile long ejectedUntilMillis;
    private volatile boolean draining;
    private volatile boolean healthy = true;
    private volatile String healthReason = "no probe yet";
    private int probesPassedInARow;
    private int probesFailedInARow;
    private final long createdAtMillis;
    private volatile String lastFailure = "none";
    private volatile String ejectedFor = "none";
    private volatile long ejectedAtMillis;
    private volatile long healthChangedAtMillis;
    private volatile long drainChangedAtMillis;
    private volatile HealthCheckResult lastCheck;

    Endpoint(UpstreamConfig config, EjectionConfig ejection, Clock clock, BooleanSupplier mayEject,
            CircuitBreakerConfig circuitBreaking) {
        this.config = config;
        this.nextHop = config.host() + ":" + config.port();
        this.base = config.origin() + config.basePath();
        this.origin = URI.create(config.origin());
        this.ejection = ejection;
        this.clock = clock;
        this.mayEject = mayEject;
        this.circuitBreaking = circuitBreaking;
        this.circuit = circuitBreaking == null ? null : new Circuit(nextHop, circuitBreaking, clock);
        this.createdAtMillis = clock.millis();
    }

    /**
     * @param nextEjection the ejection settings of its route in a new configuration
     * @param nextCircuitBreaking the circuit breaker settings of its route there, or null for none
     * @return whether its ejection and circuit state still mean the same under those settings, so
     *     the endpoint itself can carry on in the new configuration
     */
    boolean keepsStateUnder(EjectionConfig nextEjection, CircuitBreakerConfig nextCircuitBreaking) {
        return ejection.equals(nextEjection) && Objects.equals(circuitBreaking, nextCircuitBreaking);
    }

    /**
     * Carries the endpoint on into a new configuration's pool, with all its state.
     *
     * @param nextConfig its configuration there: the same URL, maybe another weight or backup flag
     * @param nextMayEject whether its new pool allows one more ejection
     */
    void rejoin(UpstreamConfig nextConfig, BooleanSupplier nextMayEject) {
        this.config = nextConfig;
        this.mayEject = nextMayEject;
    }

    /**
     * Takes over what an operator and the health checks said about the same upstream under the
     * settings it replaces: the drain flag and the active health verdict. Ejection and circuit
     * start afresh, as their settings changed.
     *
     * @param previous the endpoint of the same URL in the configuration being replaced
     */
    void inheritFrom(Endpoint previous) {
        synchronized (previous) {
            draining = previous.draining;
            drainChangedAtMillis = previous.drainChangedAtMillis;
            healthy = previous.healthy;
            healthReason = previous.healthReason;
            healthChangedAtMillis = previous.healthChangedAtMillis;
            lastCheck = previous.lastCheck;
            probesPassedInARow = previous.probesPassedInARow;
            probesFailedInARow = previous.probesFailedInARow;
            lastFailure = previous.lastFailure;
        }
    }

    /** @return its circuit breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}); empty without one */
    public Optional<String> circuitState() {
        return circuit == null ? Optional.empty() : Optional.of(circuit.state().name());
    }

    /** @return whether its circuit, if any, could let an attempt through now */
    boolean circuitMayAllow() {
        return circuit == null || circuit.mayAllow();
    }

    /** @return whether the attempt may go; takes the circuit's permit, which the attempt's end gives back */
    boolean acquire() {
        return circuit == null || circuit.acquire();
    }

    /** @return when its open circuit lets trials through, in epoch millis; 0 if none is open */
    long circuitReopensAtMillis() {
        return circuit == null ? 0 : circuit.reopensAtMillis();
    }

    /**
     * Ends an attempt without a verdict on the upstream (the client left, the gateway failed, or
     * it was never sent): gives its circuit permit back.
     *
     * @param sent whether the attempt had been sent, so holds an in-flight slot
     */
    void attemptAbandoned(boolean sent) {
        if (sent) {
            inFlight.decrementAndGet();
        }
        if (circuit != null) {
            circuit.abandoned();
        }
    }

    /** @return its origin and base path, such as {@code http://127.0.0.1:9001/v1}: what every upstream URL starts with */
    public String base() {
        return base;
    }

    /** @return its scheme, host and port, such as {@code http://127.0.0.1:9001}, as a URI */
    public URI origin() {
        return origin;
    }

    /** @return its configuration */
    public UpstreamConfig config() {
        return config;
    }

    /** @return {@code host:port}, as {@code Proxy-Status} names the next hop */
    public String nextHop() {
        return nextHop;
    }

    /** @return its weight */
    public int weight() {
        return config.weight();
    }

    /** @return whether it is a backup */
    public boolean backup() {
        return config.backup();
    }

    /** @return requests sent to it and not finished yet */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return attempts sent to it so far */
    public long attempts() {
        return attempts.get();
    }

    /** @return attempts that failed so far */
    public long failures() {
        return failures.get();
    }

    /** Counts an attempt that is sent now. */
    void attemptSent() {
        attempts.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /** @return whether active health checks consider it healthy (true while none are configured) */
    public boolean healthy() {
        return healthy;
    }

    /** @return why the last probe passed or failed, such as {@code connection_refused} */
    public String healthReason() {
        return healthReason;
    }

    /**
     * Counts one active probe and flips the health state after enough in a row.
     *
     * @param passed whether the probe passed
     * @param reason what the probe found, for the state change log and status pages
     * @param phase how far the probe got
     * @param healthyThreshold passed probes in a row that bring it back
     * @param unhealthyThreshold failed probes in a row that take it out
     */
    synchronized void probed(boolean passed, String reason, String phase, int healthyThreshold,
            int unhealthyThreshold) {
        healthReason = reason;
        lastCheck = new HealthCheckResult(clock.instant(), passed, reason, phase);
        probesPassedInARow = passed ? probesPassedInARow + 1 : 0;
        probesFailedInARow = passed ? 0 : probesFailedInARow + 1;
        if (healthy && probesFailedInARow >= unhealthyThreshold) {
            healthy = false;
            healthChangedAtMillis = clock.millis();
            LOG.warn("Upstream {} unhealthy after {} failed health checks: {}", nextHop, probesFailedInARow, reason);
        } else if (!healthy && probesPassedInARow >= healthyThreshold) {
            healthy = true;
            healthChangedAtMillis = clock.millis();
            LOG.warn("Upstream {} healthy again after {} passed health checks", nextHop, probesPassedInARow);
        }
    }

    /** @return whether it is being drained: no new requests, in-flight ones complete */
    public boolean draining() {
        return draining;
    }

    /**
     * Drains the endpoint (no new requests; those in flight complete) or puts it back in rotation.
     *
     * @param draining whether to drain it
     */
    public void drain(boolean draining) {
        if (this.draining != draining) {
            drainChangedAtMillis = clock.millis();
        }
        this.draining = draining;
    }

    /** @return whether it is out of rotation now */
    public boolean ejected() {
        return clock.millis() < ejectedUntilMillis;
    }

    /** @return when its current ejection ends, in epoch milliseconds; in the past when it is not ejected */
    public long ejectedUntilMillis() {
        return ejectedUntilMillis;
    }

    /** @return how many times it was ejected */
    public synchronized int ejections() {
        return ejections;
    }

    /**
     * Counts the end of an attempt, and ejects the endpoint after too many failures in a row.
     *
     * @param sent whether the attempt had been sent, so holds an in-flight slot
     * @param failure what it failed with (an RFC 9209 type or {@code received-status=N}); null if it succeeded
     * @return the state this failure put the endpoint in: {@link UpstreamState#CIRCUIT_OPEN} when it
     *     opened the circuit, {@link UpstreamState#EJECTED} when it ejected it; null when it changed
     *     neither
     */
    UpstreamState attemptEnded(boolean sent, String failure) {
        boolean failed = failure != null;
        if (failed) {
            lastFailure = failure;
        }
        if (sent) {
            inFlight.decrementAndGet();
        }
        if (failed) {
            failures.incrementAndGet();
        }
        UpstreamState changed = null;
        if (circuit != null) {
            if (failed) {
                boolean wasOpen = circuit.open();
                circuit.failed();
                if (!wasOpen && circuit.open()) {
                    changed = UpstreamState.CIRCUIT_OPEN;
                }
            } else {
                circuit.succeeded();
            }
        }
        if (!failed) {
            // The success path takes no lock: a reset racing a failure's count can only delay an ejection.
            if (consecutiveFailures != 0) {
                consecutiveFailures = 0;
            }
            return null;
        }
        synchronized (this) {
            consecutiveFailures++;
            if (ejection.consecutiveFailures() > 0 && consecutiveFailures >= ejection.consecutiveFailures()
                    && !ejected() && mayEject.getAsBoolean()) {
                ejections++;
                Duration time = ejection.baseTime().multipliedBy(1L << Math.min(ejections - 1, 20));
                if (time.compareTo(ejection.maxTime()) > 0) {
                    time = ejection.maxTime();
                }
                ejectedAtMillis = clock.millis();
                ejectedFor = failure;
                ejectedUntilMillis = ejectedAtMillis + time.toMillis();
                LOG.warn("Upstream {} ejected for {} ms after {} failures in a row (ejection {})", nextHop,
                        time.toMillis(), consecutiveFailures, ejections);
                consecutiveFailures = 0;
                if (changed == null) {
                    changed = UpstreamState.EJECTED;
                }
            }
        }
        return changed;
    }

    /**
     * @param maintenanceSince when its route went into maintenance; null if it is not in maintenance
     * @return where it stands now, and why
     */
    public UpstreamStatus status(Instant maintenanceSince) {
        long now = clock.millis();
        Optional<String> circuitName = circuitState().map(name -> name.toLowerCase(Locale.ROOT));
        Optional<HealthCheckResult> check = Optional.ofNullable(lastCheck);
        String url = config.url().toString();
        int failuresInARow = consecutiveFailures;
        int sentNow = inFlight();
        if (maintenanceSince != null) {
            return new UpstreamStatus(url, UpstreamState.MAINTENANCE, "operator", maintenanceSince, Optional.empty(),
                    failuresInARow, sentNow, circuitName, check);
        }
        if (draining) {
            return new UpstreamStatus(url, UpstreamState.DRAINING, "operator", instant(drainChangedAtMillis),
                    Optional.empty(), failuresInARow, sentNow, circuitName, check);
        }
        long reopensAt = circuitReopensAtMillis();
        if (reopensAt > now) {
            return new UpstreamStatus(url, UpstreamState.CIRCUIT_OPEN, lastFailure,
                    instant(reopensAt - circuit.openForMillis()), Optional.of(instant(reopensAt)), failuresInARow,
                    sentNow, circuitName, check);
        }
        if (!healthy) {
            return new UpstreamStatus(url, UpstreamState.UNHEALTHY, healthReason, instant(healthChangedAtMillis),
                    Optional.empty(), failuresInARow, sentNow, circuitName, check);
        }
        long ejectedUntil = ejectedUntilMillis;
        if (ejectedUntil > now) {
            return new UpstreamStatus(url, UpstreamState.EJECTED, ejectedFor, instant(ejectedAtMillis),
                    Optional.of(instant(ejectedUntil)), failuresInARow, sentNow, circuitName, check);
        }
        long since = Math.max(Math.max(createdAtMillis, healthChangedAtMillis),
                Math.max(drainChangedAtMillis, ejectedUntil));
        return new UpstreamStatus(url, UpstreamState.HEALTHY, "ok", instant(since), Optional.empty(), failuresInARow,
                sentNow, circuitName, check);
    }

    /** @return what its last failed attempt failed with, such as {@code connection_refused}; {@code none} yet */
    public String lastFailure() {
        return lastFailure;
    }

    private static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    @Override
    public String toString() {
        return nextHop + (backup() ? " (backup)" : "") + " weight " + weight();
    }
}
