package io.gatewise.demo;

import io.gatewise.failure.DnsLookupException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The demo's name resolver: stages DNS failures for names under {@value #DOMAIN} without asking any
 * DNS server, and resolves address literals (every other demo upstream) locally.
 */
final class DemoResolver implements SocketAddressResolver {
    /** The demo's own domain; {@code .invalid} can never exist in real DNS. */
    static final String DOMAIN = ".demo.invalid";
    /** A name that does not exist. */
    static final String MISSING = "missing" + DOMAIN;
    /** A name whose lookup never completes. */
    static final String SLOW = "slow-dns" + DOMAIN;
    /** A name that resolves into an address the demo prohibits. */
    static final String PROHIBITED = "metadata" + DOMAIN;
    /** The address {@link #PROHIBITED} resolves to. */
    static final String PROHIBITED_ADDRESS = "127.0.0.2";

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        switch (host) {
            case MISSING:
                promise.failed(DnsLookupException.failed(host, "NXDOMAIN"));
                return;
            case SLOW:
                // Never answers: the route's resolve timeout ends the wait.
                return;
            case PROHIBITED:
                promise.succeeded(List.of(new InetSocketAddress(literal(PROHIBITED_ADDRESS), port)));
                return;
            default:
                try {
                    promise.succeeded(List.of(new InetSocketAddress(literal(host), port)));
                } catch (IllegalArgumentException e) {
                    promise.failed(new UnknownHostException(host + " (the demo resolves address literals only)"));
                }
        }
    }

    private static InetAddress literal(String host) {
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
            throw new IllegalArgumentException(host);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(host, e);
        }
    }
}
