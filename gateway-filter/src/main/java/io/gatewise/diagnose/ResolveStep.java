package io.gatewise.diagnose;

import io.gatewise.client.DnsCache;
import io.gatewise.failure.DnsLookupException;
import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.Phase;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The {@code resolve} step: the cached answer and a fresh lookup side by side. It passes when the
 * lookup answers, or when it fails but live traffic would still get addresses from the cache (an
 * answer within its TTL, or a stale one standing in for a lookup that failed for another reason
 * than {@code NXDOMAIN}); the detail says which.
 */
final class ResolveStep {
    /** Beyond the resolve timeout, which the lookup enforces itself: a lookup that never calls back. */
    private static final long GRACE_MILLIS = 1000;

    private final FailureClassifier classifier;

    ResolveStep(FailureClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * What the step found, and the addresses to connect to.
     *
     * @param outcome the step's outcome
     * @param addresses the addresses live traffic would use; empty when it failed
     */
    record Resolved(StepOutcome outcome, List<InetSocketAddress> addresses) {
    }

    Resolved run(DiagnosisTarget target, SocketAddressResolver lookup, DnsCache cache, boolean flush) {
        String host = target.host();
        int port = target.upstream().port();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("host", host);
        detail.put("port", port);
        if (flush && cache != null) {
            detail.put("flushed", cache.flush(host));
        }
        Optional<DnsCache.CachedAnswer> cached = cache == null ? Optional.empty() : cache.cached(host, port);
        detail.put("cached", cached.map(ResolveStep::cached).orElse(null));
        long start = System.nanoTime();
        Duration timeout = target.timeouts().resolve();
        List<InetSocketAddress> fresh;
        Throwable failure = null;
        try {
            fresh = lookup(lookup, host, port, timeout);
        } catch (Throwable e) {
            fresh = null;
            failure = e;
        }
        long millis = millisSince(start);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ms", millis);
        if (fresh != null) {
            answer.put("addresses", addresses(fresh));
            detail.put("lookup", answer);
            detail.put("used", "lookup");
            return new Resolved(StepOutcome.passed(StepResult.passed(Step.RESOLVE, millis, host + " -> "
                    + String.join(", ", addresses(fresh)) + cachedNote(cached), detail)), fresh);
        }
        answer.put("error", failure.getMessage() == null ? failure.toString() : failure.getMessage());
        Optional<String> rcode = failure instanceof DnsLookupException dns ? dns.rcode() : Optional.empty();
        answer.put("rcode", rcode.orElse(null));
        detail.put("lookup", answer);
        boolean gone = rcode.filter("NXDOMAIN"::equals).isPresent();
        if (cached.isPresent() && (cached.get().fresh() || cached.get().mayStandIn() && !gone
                && failure instanceof DnsLookupException)) {
            detail.put("used", "cached");
            detail.put("warning", "the lookup failed; live traffic uses the cached answer "
                    + (cached.get().fresh() ? "until its TTL ends" : "while it may stand in (keepStale)"));
            return new Resolved(StepOutcome.passed(StepResult.passed(Step.RESOLVE, millis, host + " -> "
                    + String.join(", ", addresses(cached.get().addresses())) + " (cached; the lookup failed: "
                    + answer.get("error") + ")", detail)), cached.get().addresses());
        }
        detail.put("used", null);
        Verdict verdict = Verdict.of(classifier.classify(failure, new ExchangeState(Phase.RESOLVE,
                Duration.ofMillis(millis), target.timeouts().response())));
        return new Resolved(new StepOutcome(StepResult.failed(Step.RESOLVE, millis, host + ": " + verdict.reason()
                + rcode.map(code -> " (" + code + ")").orElse(""), detail), verdict), List.of());
    }

    private static List<InetSocketAddress> lookup(SocketAddressResolver lookup, String host, int port,
            Duration timeout) throws Throwable {
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        lookup.resolve(host, port, new HashMap<>(), Promise.from(answer::complete, answer::completeExceptionally));
        try {
            return answer.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw DnsLookupException.timedOut(host, timeout);
        }
    }

    private static Map<String, Object> cached(DnsCache.CachedAnswer answer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("addresses", addresses(answer.addresses()));
        json.put("age_s", answer.age().toSeconds());
        json.put("stale", !answer.fresh());
        return json;
    }

    private static String cachedNote(Optional<DnsCache.CachedAnswer> cached) {
        return cached.map(answer -> " (cached " + answer.age().toSeconds() + " s ago" + (answer.fresh() ? ""
                : ", stale") + ")").orElse(" (not cached)");
    }

    static List<String> addresses(List<InetSocketAddress> addresses) {
        return addresses.stream().map(address -> address.getAddress() == null ? address.getHostString()
                : address.getAddress().getHostAddress()).toList();
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
