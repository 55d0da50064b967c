package io.gatewise.diagnose;

import io.gatewise.client.DnsCache;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.upstream.UpstreamState;
import io.gatewise.upstream.UpstreamStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's diagnoses of its configured upstreams: run on demand (the admin API, the status
 * page) and in the background when an upstream changes state (ejected, unhealthy, circuit open),
 * never per request and never on a request thread.
 *
 * <p>At most one diagnosis runs per upstream per interval (10 seconds by default): a request within
 * the interval gets the latest one, marked as reused, with its time. The latest diagnosis of each
 * configured upstream is kept, and nothing else: upstreams gone from the configuration are
 * forgotten, and never more than {@value #MAX_KEPT} are held. Runs go to two threads of its own
 * with a bounded queue.
 *
 * <p>Only upstreams of configured routes can be diagnosed here: never an arbitrary URL.
 */
public final class Diagnoses {
    /** How often an upstream is diagnosed at most, unless the gateway is built with another interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** How often an https upstream is diagnosed for its certificate when nothing else asks. */
    public static final Duration CERTIFICATE_REFRESH = Duration.ofHours(1);
    /** The most upstreams whose latest diagnosis is kept. */
    public static final int MAX_KEPT = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Diagnoses.class);
    private static final long WATCH_MILLIS = 1000;
    private static final int THREADS = 2;
    private static final int QUEUE = 64;
    private static final Set<UpstreamState> TROUBLE = EnumSet.of(UpstreamState.EJECTED, UpstreamState.UNHEALTHY,
            UpstreamState.CIRCUIT_OPEN);

    private final SocketAddressResolver resolver;
    private final DnsCache dnsCache;
    private final List<String> prohibitedAddresses;
    private final Clock clock;
    private final Duration interval;
    private final Upstreams upstreams;
    private final ExecutorService runs;
    /** Per upstream, by {@code route + " " + url}, oldest first; guarded by itself. */
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private Diagnostician diagnostician;
    private ScheduledExecutorService watcher;

    /** What it diagnoses: the gateway's routes now and where each of their upstreams stands. */
    public interface Upstreams {
        /** @return the configured routes */
        List<RouteConfig> routes();

        /**
         * @param route a route's path
         * @return its upstreams' states, in configured order; empty for a route that is gone
         */
        List<UpstreamStatus> statuses(String route);
    }

    /**
     * One upstream's diagnosis as a caller gets it.
     *
     * @param diagnosis the diagnosis
     * @param cached whether it was reused (the interval had not passed, or one was running) rather than run for this call
     */
    public record Run(Diagnosis diagnosis, boolean cached) {
    }

    /** One upstream's latest run, the one in progress, and the state last seen. */
    private static final class Slot {
        CompletableFuture<Diagnosis> running;
        long startedAtMillis;
        Diagnosis latest;
        UpstreamState lastSeen;
    }

    private Diagnoses(SocketAddressResolver resolver, DnsCache dnsCache, List<String> prohibitedAddresses,
            Clock clock, Duration interval, Upstreams upstreams) {
        this.resolver = resolver;
        this.dnsCache = dnsCache;
        this.prohibitedAddresses = List.copyOf(prohibitedAddresses);
        this.clock = clock;
        this.interval = interval;
        this.upstreams = upstreams;
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE), task -> {
                    Thread thread = new Thread(task, "gatewise-diagnose-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.runs = pool;
    }

    /**
     * @param resolver the gateway's resolver; null for the JDK's
     * @param dnsCache the gateway's DNS cache
     * @param prohibitedAddresses addresses and CIDR ranges no upstream name may resolve to
     * @param clock the gateway's clock: the interval, diagnosis times
     * @param interval how often one upstream is diagnosed at most
     * @param upstreams the routes and their upstreams' states
     * @return the diagnoses, not watching yet
     * @throws IllegalArgumentException if the interval is not positive
     */
    public static Diagnoses create(SocketAddressResolver resolver, DnsCache dnsCache,
            List<String> prohibitedAddresses, Clock clock, Duration interval, Upstreams upstreams) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("diagnosisInterval: " + interval + " (expected: > 0)");
        }
        return new Diagnoses(resolver, dnsCache, prohibitedAddresses, Objects.requireNonNull(clock, "clock"),
                interval, Objects.requireNonNull(upstreams, "upstreams"));
    }

    /** Starts watching the upstreams' states, once a second. */
    public synchronized void start() {
        if (watcher != null) {
            return;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "gatewise-diagnose-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                watchNow();
            } catch (RuntimeException e) {
                LOG.warn("Cannot check the upstreams' states for diagnoses", e);
            }
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        watcher = timer;
    }

    /** Stops watching and releases the lookup threads; the latest diagnoses stay. */
    public synchronized void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
        if (diagnostician != null) {
            diagnostician.close();
            diagnostician = null;
        }
    }

    private synchronized Diagnostician diagnostician() {
        if (diagnostician == null) {
            diagnostician = Diagnostician.create(resolver, dnsCache, prohibitedAddresses, clock);
        }
        return diagnostician;
    }

    /**
     * Diagnoses the upstreams of one configured route (or one of them), at most once per interval
     * each, and waits for the results.
     *
     * @param route a configured route's path, such as {@code /api/}
     * @param upstreamUrl one of its upstreams' URLs as configured; empty for all of them
     * @param flushDns whether a run forgets the DNS cache's answer for the name first
     * @return one run per upstream, in configured order
     * @throws UnknownTargetException if no such route or upstream is configured
     * @throws java.util.concurrent.RejectedExecutionException if too many diagnoses wait already
     * @throws InterruptedException if interrupted while waiting
     */
    public List<Run> diagnose(String route, Optional<String> upstreamUrl, boolean flushDns)
            throws InterruptedException {
        RouteConfig config = upstreams.routes().stream().filter(candidate -> candidate.path().equals(route))
                .findFirst().orElseThrow(() -> new UnknownTargetException("no route " + route + " (expected one of: "
                        + upstreams.routes().stream().map(RouteConfig::path).toList() + ")"));
        List<UpstreamConfig> chosen = config.upstreams().stream()
                .filter(upstream -> upstreamUrl.isEmpty() || upstream.url().toString().equals(upstreamUrl.get()))
                .toList();
        if (chosen.isEmpty()) {
            throw new UnknownTargetException("route " + route + " has no upstream " + upstreamUrl.get()
                    + " (expected one of: " + config.upstreams().stream().map(u -> u.url().toString()).toList() + ")");
        }
        List<CompletableFuture<Diagnosis>> futures = new ArrayList<>();
        List<Boolean> reused = new ArrayList<>();
        for (UpstreamConfig upstream : chosen) {
            Started started = start(DiagnosisTarget.of(config, upstream), flushDns);
            futures.add(started.future());
            reused.add(!started.fresh());
        }
        List<Run> result = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                result.add(new Run(futures.get(i).get(), reused.get(i)));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(e.getCause());
            }
        }
        return result;
    }

    private record Started(CompletableFuture<Diagnosis> future, boolean fresh) {
    }

    /**
     * Starts a run unless one ran within the interval or runs now; that one is returned instead.
     * A run that is to flush the DNS cache first always starts: a reused one would not have flushed.
     */
    private Started start(DiagnosisTarget target, boolean flushDns) {
        String key = key(target.route().orElseThrow(), target.url());
        long now = clock.millis();
        synchronized (slots) {
            Slot slot = slot(key);
            if (!flushDns && slot.running != null
                    && (!slot.running.isDone() || now - slot.startedAtMillis < interval.toMillis())
                    && !slot.running.isCompletedExceptionally()) {
                return new Started(slot.running, false);
            }
            // The latest is kept before anyone waiting on the run sees it.
            CompletableFuture<Diagnosis> future = CompletableFuture.supplyAsync(
                    () -> diagnostician().diagnose(target, flushDns), runs).thenApply(diagnosis -> {
                        synchronized (slots) {
                            slot.latest = diagnosis;
                        }
                        if (!diagnosis.ok()) {
                            LOG.info("Diagnosis of {} {}: {}", target.route().orElse(""), target.url(),
                                    DiagnosisReport.verdictLine(diagnosis.verdict()));
                        }
                        return diagnosis;
                    });
            slot.running = future;
            slot.startedAtMillis = now;
            return new Started(future, true);
        }
    }

    private Slot slot(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            if (slots.size() >= MAX_KEPT) {
                slots.remove(slots.keySet().iterator().next());
            }
            slot = new Slot();
            slots.put(key, slot);
        }
        return slot;
    }

    /**
     * Looks at every upstream's state once, now, besides the watch's schedule: each that has
     * turned ejected, unhealthy or circuit-open since the last look is diagnosed (within the
     * interval rule), and upstreams gone from the configuration are forgotten.
     *
     * @return completes when the diagnoses it started have finished
     */
    public CompletableFuture<Void> watchNow() {
        List<CompletableFuture<Diagnosis>> started = new ArrayList<>();
        Set<String> configured = new HashSet<>();
        for (RouteConfig route : upstreams.routes()) {
            List<UpstreamStatus> statuses = upstreams.statuses(route.path());
            for (UpstreamConfig upstream : route.upstreams()) {
                String key = key(route.path(), upstream.url().toString());
                configured.add(key);
                UpstreamState state = statuses.stream().filter(status -> status.url().equals(upstream.url().toString()))
                        .map(UpstreamStatus::state).findFirst().orElse(null);
                boolean changed;
                boolean certificateDue;
                synchronized (slots) {
                    Slot slot = slots.get(key);
                    UpstreamState before = slot == null ? null : slot.lastSeen;
                    changed = state != null && state != before && TROUBLE.contains(state);
                    certificateDue = certificateDue(upstream, slot);
                    if (slot != null || changed || certificateDue) {
                        slot(key).lastSeen = state;
                    }
                }
                if (changed || certificateDue) {
                    try {
                        started.add(start(DiagnosisTarget.of(route, upstream), false).future());
                    } catch (RuntimeException e) {
                        LOG.warn("Cannot diagnose {} {} after it turned {}: {}", route.path(), upstream.url(),
                                state.token(), e.toString());
                    }
                }
            }
        }
        synchronized (slots) {
            slots.keySet().retainAll(configured);
        }
        return CompletableFuture.allOf(started.stream().map(future -> future.exceptionally(failure -> null))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * An https upstream's certificate is looked at again every {@link #CERTIFICATE_REFRESH}, healthy
     * or not, so an expiry alert never waits for the upstream to fail first.
     */
    private boolean certificateDue(UpstreamConfig upstream, Slot slot) {
        if (!"https".equalsIgnoreCase(upstream.url().getScheme())) {
            return false;
        }
        if (slot != null && slot.running != null && !slot.running.isDone()) {
            return false;
        }
        Diagnosis latest = slot == null ? null : slot.latest;
        return latest == null || clock.millis() - latest.time().toEpochMilli() >= CERTIFICATE_REFRESH.toMillis();
    }

    /**
     * @param route a route's path
     * @param upstreamUrl one of its upstreams' URLs as configured
     * @return that upstream's latest diagnosis; empty if none has finished
     */
    public Optional<Diagnosis> latest(String route, String upstreamUrl) {
        synchronized (slots) {
            Slot slot = slots.get(key(route, upstreamUrl));
            return Optional.ofNullable(slot == null ? null : slot.latest);
        }
    }

    /**
     * @param route a route's path
     * @param nextHop an upstream as {@code host:port}, as a failure record names it
     * @return the latest diagnosis of that upstream of the route; empty if none has finished
     */
    public Optional<Diagnosis> latestByNextHop(String route, String nextHop) {
        synchronized (slots) {
            return slots.values().stream().map(slot -> slot.latest).filter(Objects::nonNull)
                    .filter(diagnosis -> diagnosis.route().filter(route::equals).isPresent()
                            && diagnosis.nextHop().equals(nextHop))
                    .max(Comparator.comparing(Diagnosis::time));
        }
    }

    /**
     * When an upstream's certificate expires, as its latest diagnosis saw it: what the alert on
     * certificates close to expiry reads.
     *
     * @param route a route's path
     * @param upstreamUrl one of its upstreams' URLs as configured
     * @return the leaf certificate's {@code notAfter}; empty for no diagnosis yet, an http upstream,
     *     or one whose handshake showed no certificate
     */
    public Optional<Instant> certificateNotAfter(String route, String upstreamUrl) {
        return latest(route, upstreamUrl).flatMap(Diagnosis::certificateNotAfter);
    }

    /** @return the latest diagnosis of every upstream that has one */
    public List<Diagnosis> all() {
        synchronized (slots) {
            return slots.values().stream().map(slot -> slot.latest).filter(Objects::nonNull).toList();
        }
    }

    /** @return how often one upstream is diagnosed at most */
    public Duration interval() {
        return interval;
    }

    private static String key(String route, String url) {
        return route + " " + url;
    }
}
