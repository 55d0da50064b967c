package io.gatewise.failure;

import java.io.IOException;
import java.net.InetAddress;

/** The upstream's name resolved only into addresses the gateway is configured never to connect to. */
public final class ProhibitedAddressException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final transient InetAddress address;

    /**
     * @param host the upstream's name
     * @param address the first prohibited address it resolved to
     */
    public ProhibitedAddressException(String host, InetAddress address) {
        super(host + " resolved to the prohibited address " + address.getHostAddress());
        this.host = host;
        this.address = address;
    }

    /** @return the upstream's name */
    public String host() {
        return host;
    }

    /** @return the prohibited address */
    public InetAddress address() {
        return address;
    }
}
