package io.gatewise.diagnose;

import io.gatewise.client.DnsCache;
import io.gatewise.client.UpstreamLookups;
import io.gatewise.failure.FailureClassifier;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Runs diagnoses: {@code resolve}, {@code connect}, {@code tls} (https only), {@code http}, each
 * with the target's settings, stopping at the first step that fails; the later ones are reported
 * skipped. Names are resolved as live traffic resolves them: through the gateway's resolver (the
 * JDK's unless one was given), with the route's resolve timeout and the gateway's prohibited
 * addresses, beside what the gateway's DNS cache holds.
 *
 * <p>{@link #diagnose} blocks for as long as the steps take (each at most its timeout): call it off
 * request threads. Thread-safe; {@link #close} releases its lookup threads.
 */
public final class Diagnostician implements AutoCloseable {
    private final SocketAddressResolver resolver;
    private final DnsCache dnsCache;
    private final List<String> prohibitedAddresses;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ExecutorService lookups;
    private final ResolveStep resolve;
    private final ConnectStep connect;
    private final TlsStep tls;
    private final HttpStep http;

    private Diagnostician(SocketAddressResolver resolver, DnsCache dnsCache, List<String> prohibitedAddresses,
            Clock clock) {
        this.dnsCache = dnsCache;
        this.prohibitedAddresses = List.copyOf(prohibitedAddresses);
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.lookups = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gatewise-diagnose-lookup-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler = new ScheduledExecutorScheduler("gatewise-diagnose-timer", true);
        LifeCycle.start(scheduler);
        this.resolver = resolver != null ? resolver : new SocketAddressResolver.Async(lookups, scheduler, 0);
        FailureClassifier classifier = new FailureClassifier();
        this.resolve = new ResolveStep(classifier);
        this.connect = new ConnectStep(classifier);
        this.tls = new TlsStep(classifier, clock);
        this.http = new HttpStep(classifier);
    }

    /**
     * @param resolver the gateway's resolver; null for the JDK's
     * @param dnsCache the gateway's DNS cache, whose answers are shown beside the lookup; null for none
     *     (a process of its own, such as the command line's, has no cached answers)
     * @param prohibitedAddresses addresses and CIDR ranges no upstream name may resolve to
     * @param clock the gateway's clock: diagnosis times and certificate days left
     * @return a diagnostician; close it when done
     */
    public static Diagnostician create(SocketAddressResolver resolver, DnsCache dnsCache,
            List<String> prohibitedAddresses, Clock clock) {
        return new Diagnostician(resolver, dnsCache, Objects.requireNonNull(prohibitedAddresses, "prohibitedAddresses"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Runs the steps against one upstream, now, on the calling thread.
     *
     * @param target the upstream and its route's settings
     * @param flushFirst whether to forget the DNS cache's answer for its name first
     * @return the diagnosis
     */
    public Diagnosis diagnose(DiagnosisTarget target, boolean flushFirst) {
        Instant time = clock.instant();
        List<StepResult> steps = new ArrayList<>(4);
        Verdict verdict = null;
        Optional<Instant> notAfter = Optional.empty();
        Socket socket = null;
        try {
            ResolveStep.Resolved resolved = resolve.run(target, UpstreamLookups.fresh(resolver, scheduler,
                    target.timeouts().resolve(), prohibitedAddresses), dnsCache, flushFirst);
            steps.add(resolved.outcome().result());
            verdict = resolved.outcome().verdict();
            if (verdict == null) {
                ConnectStep.Connected connected = connect.run(target, resolved.addresses());
                steps.add(connected.outcome().result());
                verdict = connected.outcome().verdict();
                socket = connected.socket();
            }
            boolean https = "https".equals(target.upstream().scheme());
            if (verdict == null && https) {
                TlsStep.Handshake handshake = tls.run(target, socket);
                steps.add(handshake.outcome().result());
                verdict = handshake.outcome().verdict();
                notAfter = handshake.notAfter();
                if (handshake.socket() != null) {
                    socket = handshake.socket();
                }
            } else if (!https) {
                steps.add(StepResult.skipped(Step.TLS, "not an https upstream"));
            }
            if (verdict == null) {
                StepOutcome answered = http.run(target, socket);
                steps.add(answered.result());
                verdict = answered.verdict();
            }
        } finally {
            ConnectStep.closeQuietly(socket);
        }
        for (Step step : Step.values()) {
            if (steps.stream().noneMatch(result -> result.step() == step)) {
                steps.add(StepResult.skipped(step, null));
            }
        }
        steps.sort((a, b) -> a.step().compareTo(b.step()));
        return new Diagnosis(target.route(), target.url(), target.upstream().host() + ":" + target.upstream().port(),
                time, steps, verdict == null ? Verdict.passed() : verdict, notAfter);
    }

    /** Stops its lookup threads and timer. */
    @Override
    public void close() {
        lookups.shutdownNow();
        try {
            scheduler.stop();
        } catch (Exception e) {
            // A daemon timer: nothing is lost if it does not stop cleanly.
        }
    }
}
