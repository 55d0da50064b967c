package io.gatewise.client;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The lookup the upstream clients run when the {@link DnsCache} has no fresh answer, for code
 * that must see what live traffic would see (the diagnosis): the same timeout and the same refusal
 * of prohibited addresses, with the same exceptions ({@code DnsLookupException},
 * {@code ProhibitedAddressException}).
 */
public final class UpstreamLookups {
    private UpstreamLookups() {
    }

    /**
     * @param delegate the resolver that answers (the gateway's, or the JDK's through Jetty's async resolver)
     * @param scheduler times the lookup out
     * @param timeout the route's resolve timeout
     * @param prohibitedAddresses addresses and CIDR ranges no upstream name may resolve to
     * @return a resolver that bypasses the cache
     */
    public static SocketAddressResolver fresh(SocketAddressResolver delegate, Scheduler scheduler, Duration timeout,
            List<String> prohibitedAddresses) {
        InetAddressSet prohibited = new InetAddressSet();
        prohibited.addAll(prohibitedAddresses);
        return new UpstreamResolver(delegate, scheduler, timeout, prohibited);
    }
}
