package io.gatewise.client;

import io.gatewise.failure.DnsLookupException;
import io.gatewise.failure.ProhibitedAddressException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Resolves upstream names through another resolver (the JDK's, or one a test or an operator
 * supplies), and makes every way it can fail say what happened: a lookup that outlasts the resolve
 * timeout fails with {@link DnsLookupException#timedOut}; any other failure or an empty answer
 * with a {@link DnsLookupException}; and an answer that holds only prohibited addresses with a
 * {@link ProhibitedAddressException}, so the gateway never connects there.
 */
final class UpstreamResolver implements SocketAddressResolver {
    private final SocketAddressResolver delegate;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Predicate<InetAddress> prohibited;

    UpstreamResolver(SocketAddressResolver delegate, Scheduler scheduler, Duration timeout,
            Predicate<InetAddress> prohibited) {
        this.delegate = delegate;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.prohibited = prohibited;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        AtomicBoolean done = new AtomicBoolean();
        Scheduler.Task timer = scheduler.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                promise.failed(DnsLookupException.timedOut(host, timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        delegate.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                if (!done.compareAndSet(false, true)) {
                    return;
                }
                timer.cancel();
                List<InetSocketAddress> allowed = addresses.stream()
                        .filter(address -> address.getAddress() == null
                                || !prohibited.test(unmapped(address.getAddress())))
                        .toList();
                if (addresses.isEmpty()) {
                    promise.failed(DnsLookupException.failed(host, null));
                } else if (allowed.isEmpty()) {
                    promise.failed(new ProhibitedAddressException(host, addresses.get(0).getAddress()));
                } else {
                    promise.succeeded(allowed);
                }
            }

            @Override
            public void failed(Throwable failure) {
                if (!done.compareAndSet(false, true)) {
                    return;
                }
                timer.cancel();
                if (failure instanceof DnsLookupException) {
                    promise.failed(failure);
                } else if (failure instanceof TimeoutException) {
                    promise.failed(DnsLookupException.timedOut(host, timeout));
                } else {
                    DnsLookupException lookup = DnsLookupException.failed(host, null);
                    lookup.initCause(failure);
                    promise.failed(lookup);
                }
            }
        });
    }

    /**
     * @param address an address from the resolver
     * @return the IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:127.0.0.3}) reaches, so it
     *     is matched against IPv4 ranges as the JDK reads such a literal; any other address as it is
     */
    static InetAddress unmapped(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] raw = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return address;
            }
        }
        if (raw[10] != (byte) 0xff || raw[11] != (byte) 0xff) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
