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
                        .filter(address -> address.getAddress() == null || !isProhibited(address.getAddress()))
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

    /** @return whether the address, or the IPv4 address it carries, is prohibited */
    private boolean isProhibited(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        return prohibited.test(address) || embedded != address && prohibited.test(embedded);
    }

    /**
     * @param address an address from the resolver
     * @return the IPv4 address an IPv6 address reaches, so it is matched against IPv4 ranges too:
     *     IPv4-mapped ({@code ::ffff:127.0.0.3}), IPv4-compatible ({@code ::127.0.0.3}, deprecated
     *     but still routed by some stacks) and NAT64's well-known prefix ({@code 64:ff9b::7f00:3},
     *     RFC 6052, which a NAT64 gateway translates to 127.0.0.3); any other address as it is
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] raw = address.getAddress();
        boolean mapped = zero(raw, 0, 10) && raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
        // ::0.0.0.0 and ::0.0.0.1 are the unspecified and loopback addresses of IPv6 itself.
        boolean compatible = zero(raw, 0, 12) && !(zero(raw, 12, 15) && (raw[15] == 0 || raw[15] == 1));
        boolean nat64 = raw[0] == 0 && raw[1] == 0x64 && raw[2] == (byte) 0xff && raw[3] == (byte) 0x9b
                && zero(raw, 4, 12);
        if (!mapped && !compatible && !nat64) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static boolean zero(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
