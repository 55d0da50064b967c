package io.gatewise.proxy;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.IpLiterals;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.InetAddressSet;
import org.eclipse.jetty.util.QuotedStringTokenizer;

/**
 * Sets the headers that tell an upstream who the client is, from what the gateway saw, and
 * removes what is the gateway's alone (the operator token) from every request it forwards.
 *
 * <p>A client that is not one of the {@code trustedProxies} can claim nothing: its
 * {@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} headers are dropped, and the
 * upstream gets {@code X-Forwarded-For} and {@code X-Real-IP} with the peer's address,
 * {@code X-Forwarded-Proto} with the scheme and {@code X-Forwarded-Host} with the {@code Host}
 * header. From a trusted proxy the peer is appended to its {@code X-Forwarded-For} chain, its
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Forwarded} are kept, and
 * {@code X-Real-IP} is the chain's last address that is not a trusted proxy, read from the right
 * (HAProxy's {@code option forwardfor}, nginx's recursive real IP). Jetty then appends the
 * gateway's own {@code Forwarded} element (RFC 7239) either way.
 */
public final class ForwardingHeaders {
    static final String X_REAL_IP = "X-Real-IP";

    private static final String X_FORWARDED_PREFIX = "x-forwarded-";

    private final InetAddressSet trustedProxies = new InetAddressSet();

    /** @param trustedProxies addresses and CIDR ranges of trusted proxies, already checked */
    public ForwardingHeaders(List<String> trustedProxies) {
        this.trustedProxies.addAll(trustedProxies);
    }

    /**
     * Rewrites the forwarding headers of a request to an upstream whose headers were copied from
     * the client's, and removes the operator token.
     *
     * @param clientRequest the client's request
     * @param headers the upstream request's headers
     */
    void apply(HttpServletRequest clientRequest, HttpFields.Mutable headers) {
        headers.remove(ErrorPagesConfig.TOKEN_HEADER);
        String peer = clientRequest.getRemoteAddr();
        String host = host(clientRequest);
        if (!trusts(peer)) {
            headers.remove(HttpHeader.FORWARDED);
            headers.remove(X_REAL_IP);
            List<String> forged = new ArrayList<>();
            for (HttpField field : headers) {
                if (field.getLowerCaseName().startsWith(X_FORWARDED_PREFIX)) {
                    forged.add(field.getName());
                }
            }
            forged.forEach(headers::remove);
            headers.put(HttpHeader.X_FORWARDED_FOR, peer);
            headers.put(HttpHeader.X_FORWARDED_PROTO, clientRequest.getScheme());
            if (host != null) {
                headers.put(HttpHeader.X_FORWARDED_HOST, host);
            }
            headers.put(X_REAL_IP, peer);
            return;
        }
        List<String> chain = new ArrayList<>();
        for (String value : Collections.list(clientRequest.getHeaders(HttpHeader.X_FORWARDED_FOR.asString()))) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    chain.add(hop.trim());
                }
            }
        }
        chain.add(peer);
        headers.put(HttpHeader.X_FORWARDED_FOR, String.join(", ", chain));
        if (!headers.contains(HttpHeader.X_FORWARDED_PROTO)) {
            headers.put(HttpHeader.X_FORWARDED_PROTO, clientRequest.getScheme());
        }
        if (!headers.contains(HttpHeader.X_FORWARDED_HOST) && host != null) {
            headers.put(HttpHeader.X_FORWARDED_HOST, host);
        }
        headers.put(X_REAL_IP, client(chain));
    }

    /**
     * @param clientRequest the client's request
     * @return the host the client asked for: its {@code Host}, or over HTTP/2 and 3, which have no
     *     {@code Host} field, the {@code :authority} (as the server name and port); null if neither
     */
    static String host(HttpServletRequest clientRequest) {
        String host = clientRequest.getHeader(HttpHeader.HOST.asString());
        if (host != null) {
            return host;
        }
        String name = clientRequest.getServerName();
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.indexOf(':') >= 0 && name.charAt(0) != '[') {
            name = "[" + name + "]";
        }
        int port = clientRequest.getServerPort();
        boolean defaultPort = port <= 0 || port == (clientRequest.isSecure() ? 443 : 80);
        return defaultPort ? name : name + ":" + port;
    }

    /**
     * @param clientRequest the client's request
     * @return the gateway's element of RFC 7239 {@code Forwarded}: {@code by}, {@code for},
     *     {@code host} (see {@link #host}) and {@code proto}, each quoted where needed
     */
    static String forwardedElement(HttpServletRequest clientRequest) {
        QuotedStringTokenizer quoting = HttpField.PARAMETER_TOKENIZER;
        String host = host(clientRequest);
        return "by=" + quoting.quote(clientRequest.getLocalAddr()) + ";for=" + quoting.quote(clientRequest.getRemoteAddr())
                + (host == null ? "" : ";host=" + quoting.quote(host)) + ";proto=" + (clientRequest.isSecure() ? "https" : "http");
    }

    /**
     * @param chain the {@code X-Forwarded-For} chain, the peer last
     * @return its last address, from the right, that is not a trusted proxy; the first if all are
     */
    private String client(List<String> chain) {
        for (int i = chain.size() - 1; i > 0; i--) {
            if (!trusts(chain.get(i))) {
                return chain.get(i);
            }
        }
        return chain.get(0);
    }

    /**
     * @param address an address as text
     * @return whether it is a literal address among the trusted proxies
     */
    boolean trusts(String address) {
        if (trustedProxies.isEmpty() || address == null) {
            return false;
        }
        // Strict: 10.1.1 or 010.0.0.1 name no address here, though Java would read one (10.1.0.1, 10.0.0.1).
        return IpLiterals.read(address).map(trustedProxies::test).orElse(false);
    }
}
