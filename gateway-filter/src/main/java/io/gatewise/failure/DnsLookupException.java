package io.gatewise.failure;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * A name lookup that failed, with what the resolver knows about why. A custom resolver may throw
 * it to report the DNS response code (RFC 9209's {@code rcode}); the gateway throws it when a
 * lookup outlasts the resolve timeout.
 */
public final class DnsLookupException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String rcode;
    private final boolean timedOut;

    private DnsLookupException(String host, String rcode, boolean timedOut, String message) {
        super(message);
        this.host = host;
        this.rcode = rcode;
        this.timedOut = timedOut;
    }

    /**
     * @param host the name that did not resolve
     * @param rcode the DNS response code, such as {@code NXDOMAIN} or {@code SERVFAIL}; null if unknown
     * @return the exception
     */
    public static DnsLookupException failed(String host, String rcode) {
        return new DnsLookupException(host, rcode, false, host + (rcode == null ? "" : ": " + rcode));
    }

    /**
     * @param host the name being resolved
     * @param timeout the resolve timeout that elapsed
     * @return the exception
     */
    public static DnsLookupException timedOut(String host, Duration timeout) {
        return new DnsLookupException(host, null, true, host + ": no answer within " + timeout.toMillis() + " ms");
    }

    /** @return the name that did not resolve */
    public String host() {
        return host;
    }

    /** @return the DNS response code, when the resolver knows it */
    public Optional<String> rcode() {
        return Optional.ofNullable(rcode);
    }

    /** @return whether the lookup outlasted the resolve timeout */
    public boolean timedOut() {
        return timedOut;
    }
}
