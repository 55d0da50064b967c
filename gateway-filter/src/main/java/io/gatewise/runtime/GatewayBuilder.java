package io.gatewise.runtime;

import io.gatewise.alert.CertificateExpirySource;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.config.GatewayConfig;
import io.gatewise.diagnose.Diagnoses;
import io.gatewise.failure.FailureListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.util.SocketAddressResolver;

/** Builds a {@link Gateway}: {@code Gateway.builder(config)...build()}. */
public final class GatewayBuilder {
    final GatewayConfig config;
    SocketAddressResolver resolver;
    Clock clock = Clock.systemUTC();
    final List<FailureListener> listeners = new ArrayList<>();
    ConfigSource configSource;
    Duration watchQuietPeriod = ConfigWatcher.DEFAULT_QUIET_PERIOD;
    MeterRegistry meterRegistry;
    OpenTelemetry openTelemetry;
    CertificateExpirySource certificateExpiry = CertificateExpirySource.NONE;
    Duration diagnosisInterval = Diagnoses.DEFAULT_INTERVAL;
    Consumer<String> failureLog;

    GatewayBuilder(GatewayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * @param source where the configuration was read from, to read it again on
     *     {@link Gateway#reloadFromSource} and, if it is a file and {@code gateway.watchConfig}
     *     is true, whenever it changes; null for none
     * @return this builder
     */
    public GatewayBuilder configSource(ConfigSource source) {
        this.configSource = source;
        return this;
    }

    /**
     * @param quietPeriod how long the config file's folder must be quiet after a change
     *     before the file is read (default {@link ConfigWatcher#DEFAULT_QUIET_PERIOD})
     * @return this builder
     */
    public GatewayBuilder configWatchQuietPeriod(Duration quietPeriod) {
        if (quietPeriod == null || quietPeriod.isNegative() || quietPeriod.isZero()) {
            throw new IllegalArgumentException("configWatchQuietPeriod: " + quietPeriod + " (expected: > 0)");
        }
        this.watchQuietPeriod = quietPeriod;
        return this;
    }

    /**
     * @param resolver resolves upstream names instead of the JDK's resolver: for service
     *     discovery, or to stage DNS failures in tests; null for the JDK's
     * @return this builder
     */
    public GatewayBuilder resolver(SocketAddressResolver resolver) {
        this.resolver = resolver;
        return this;
    }

    /**
     * @param clock times upstream ejections, circuits, retry budgets and DNS answers (a
     *     controllable clock in tests)
     * @return this builder
     */
    public GatewayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param listener told about every failure, after the failure log
     * @return this builder
     */
    public GatewayBuilder listener(FailureListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * @param sink where the failure log's lines go, one call a line, on the thread that recorded the
     *     failure; null (the default) for the {@code io.gatewise.failure} logger at WARN
     * @return this builder
     */
    public GatewayBuilder failureLog(Consumer<String> sink) {
        this.failureLog = sink;
        return this;
    }

    /**
     * @param registry the host application's registry, which gets the gateway's meters (the
     *     JVM's stay the host's to bind); null (the default) to have the gateway create a
     *     Prometheus registry with the JVM's meters. Unused with {@code gateway.metrics: false}
     * @return this builder
     */
    public GatewayBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /**
     * @param openTelemetry the application's own OpenTelemetry, which the gateway's spans go
     *     through (its exporter, sampler and propagators); null (the default) for
     *     {@code GlobalOpenTelemetry} when the application or the OpenTelemetry agent has set it,
     *     else an SDK of the gateway's own, as the {@code tracing} section sets it. Unused while
     *     {@code tracing.enabled} is false
     * @return this builder
     */
    public GatewayBuilder openTelemetry(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        return this;
    }

    /**
     * @param source tells the alert rule {@code GatewiseCertificateExpiring} when upstream
     *     certificates end (default {@link CertificateExpirySource#NONE}: the gateway's own
     *     diagnoses tell, from the certificates their TLS handshakes last saw)
     * @return this builder
     */
    public GatewayBuilder certificateExpiry(CertificateExpirySource source) {
        this.certificateExpiry = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * @param interval how often one upstream is diagnosed at most (default
     *     {@link Diagnoses#DEFAULT_INTERVAL}); a request within it gets the latest diagnosis
     * @return this builder
     */
    public GatewayBuilder diagnosisInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("diagnosisInterval: " + interval + " (expected: > 0)");
        }
        this.diagnosisInterval = interval;
        return this;
    }

    /**
     * @return the gateway, not started
     * @throws IllegalStateException naming the file, if an operator's error page template is broken
     */
    public Gateway build() {
        return new Gateway(this);
    }
}
