package io.gatewise.answer;

import io.gatewise.config.ErrorPagesConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Decides whether a request sees the operator view (and {@code Proxy-Status} details): its client
 * address is in a trusted network, or it carries the operator token. The token is compared in
 * constant time. Nobody is trusted unless the configuration says so.
 */
final class OperatorAccess {
    private final InetAddressSet trusted = new InetAddressSet();
    private final byte[] token;

    /** @param config the error page settings */
    OperatorAccess(ErrorPagesConfig config) {
        trusted.addAll(config.trustedNetworks());
        token = config.token().map(value -> value.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * @param request a client request
     * @return whether it may see operator detail
     */
    boolean isOperator(HttpServletRequest request) {
        String presented = request.getHeader(ErrorPagesConfig.TOKEN_HEADER);
        if (token != null && presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (trusted.isEmpty()) {
            return false;
        }
        try {
            // The remote address is a literal; this never asks DNS.
            return trusted.test(InetAddress.getByName(request.getRemoteAddr()));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
