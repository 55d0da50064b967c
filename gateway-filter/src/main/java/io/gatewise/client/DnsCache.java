package io.gatewise.client;

import io.gatewise.config.DnsCacheConfig;
import io.gatewise.failure.DnsLookupException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's memory of upstream addresses: an answer is used for {@code ttl}, then the name is
 * looked up again; when that lookup fails (the resolver timed out or failed), the last good answer
 * is used for up to {@code keepStale} more, and each such use is logged and counted. A name the
 * resolver says does not exist ({@code NXDOMAIN}) is forgotten at once. An operator can
 * {@linkplain #flush() flush} it at run time, the gateway's side of "clear the DNS cache".
 *
 * <p>One cache serves every route; each route's client reaches it through {@link #over}, with
 * its own resolve timeout. Failed lookups are not cached. The JDK keeps its own cache below this
 * one ({@code networkaddress.cache.ttl}, 30 seconds by default).
 */
public final class DnsCache {
    private static final Logger LOG = LoggerFactory.getLogger(DnsCache.class);

    private final DnsCacheConfig settings;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong staleAnswers = new AtomicLong();

    private record Entry(List<InetSocketAddress> addresses, long resolvedAtMillis) {
    }

    /**
     * @param settings how long answers are kept
     * @param clock the gateway clock
     */
    public DnsCache(DnsCacheConfig settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param lookup the lookup to run when the cache has no fresh answer
     * @return a resolver that answers from this cache first
     */
    public SocketAddressResolver over(SocketAddressResolver lookup) {
        return (host, port, context, promise) -> resolve(lookup, host, port, context, promise);
    }

    /** Forgets every answer: the next connection to each upstream looks its name up again. */
    public void flush() {
        int forgotten = entries.size();
        entries.clear();
        LOG.info("DNS cache flushed: {} answers forgotten", forgotten);
    }

    /**
     * Forgets the answers for one name.
     *
     * @param host the upstream name
     * @return whether an answer was forgotten
     */
    public boolean flush(String host) {
        String prefix = host.toLowerCase(Locale.ROOT) + ":";
        boolean forgotten = entries.keySet().removeIf(key -> key.startsWith(prefix));
        LOG.info("DNS cache flushed for {}: {}", host, forgotten ? "answer forgotten" : "nothing cached");
        return forgotten;
    }

    /**
     * What the cache holds for one upstream name now, without looking it up: the answer the next
     * connection would use (while it is fresh) or fall back on (while it may still stand in).
     *
     * @param host the upstream name
     * @param port the upstream port
     * @return the cached answer; empty if there is none
     */
    public Optional<CachedAnswer> cached(String host, int port) {
        Entry entry = entries.get(host.toLowerCase(Locale.ROOT) + ":" + port);
        if (entry == null) {
            return Optional.empty();
        }
        Duration age = Duration.ofMillis(Math.max(0, clock.millis() - entry.resolvedAtMillis()));
        boolean fresh = age.compareTo(settings.ttl()) < 0;
        boolean standIn = age.compareTo(settings.ttl().plus(settings.keepStale())) < 0;
        return Optional.of(new CachedAnswer(entry.addresses(), Instant.ofEpochMilli(entry.resolvedAtMillis()), age,
                fresh, standIn));
    }

    /**
     * One cached answer, as {@link #cached} reads it.
     *
     * @param addresses the addresses
     * @param resolvedAt when the lookup answered
     * @param age how long ago that was
     * @param fresh whether it is within the TTL: connections use it without a lookup
     * @param mayStandIn whether it may still stand in for a lookup that fails (within TTL plus keepStale)
     */
    public record CachedAnswer(List<InetSocketAddress> addresses, Instant resolvedAt, Duration age, boolean fresh,
            boolean mayStandIn) {
    }

    /** @return how many times a stale answer stood in for a failed lookup */
    public long staleAnswers() {
        return staleAnswers.get();
    }

    /** @return the names with a cached answer, as {@code host:port} */
    public List<String> cachedNames() {
        return entries.keySet().stream().sorted().toList();
    }

    private void resolve(SocketAddressResolver lookup, String host, int port, Map<String, Object> context,
            Promise<List<InetSocketAddress>> promise) {
        String key = host.toLowerCase(Locale.ROOT) + ":" + port;
        Entry cached = entries.get(key);
        long now = clock.millis();
        if (cached != null && now - cached.resolvedAtMillis() < settings.ttl().toMillis()) {
            promise.succeeded(cached.addresses());
            return;
        }
        lookup.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                if (!settings.ttl().isZero()) {
                    entries.put(key, new Entry(List.copyOf(addresses), clock.millis()));
                }
                promise.succeeded(addresses);
            }

            @Override
            public void failed(Throwable failure) {
                if (isGone(failure)) {
                    entries.remove(key);
                    promise.failed(failure);
                    return;
                }
                Entry last = entries.get(key);
                if (last != null && failure instanceof DnsLookupException && clock.millis() - last.resolvedAtMillis()
                        < settings.ttl().plus(settings.keepStale()).toMillis()) {
                    staleAnswers.incrementAndGet();
                    LOG.warn("DNS lookup of {} failed ({}); using its addresses from {} ago", host,
                            failure.getMessage(), Duration.ofMillis(clock.millis() - last.resolvedAtMillis()));
                    promise.succeeded(last.addresses());
                    return;
                }
                promise.failed(failure);
            }
        });
    }

    /** A name the resolver says does not exist was removed on purpose: its old addresses are forgotten. */
    private static boolean isGone(Throwable failure) {
        return failure instanceof DnsLookupException lookup && lookup.rcode().filter("NXDOMAIN"::equals).isPresent();
    }
}
