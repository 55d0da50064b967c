package io.gatewise.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured admin token, in constant
 * time, and limits wrong attempts per client address. For browsers, which cannot send a bearer
 * token, {@code Basic} credentials whose password is the token (any user name) are right too, but
 * only for reading ({@link Verdict.Allowed#bearer()} is false): a browser caches them and sends them
 * with any request to the admin listener, also one a page on another site forges.
 */
final class AdminAuth {
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";
    private static final byte[] NONE = new byte[0];

    private final byte[] token;
    private final WrongTokenLimiter limiter;

    /** What a request's credentials are worth. */
    sealed interface Verdict {
        /**
         * The token is right.
         *
         * @param bearer whether it came as a bearer token, which only a program sends, not as Basic
         *     credentials a browser may have cached
         */
        record Allowed(boolean bearer) implements Verdict {
        }

        /** No token, or a wrong one. */
        record Refused() implements Verdict {
        }

        /**
         * Too many wrong tokens from this address lately: refused without looking.
         *
         * @param retryAfter how long until it may try again
         */
        record Limited(Duration retryAfter) implements Verdict {
        }
    }

    AdminAuth(String token, Clock clock) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.limiter = new WrongTokenLimiter(clock);
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @param address the client's address
     * @return whether the request may go on
     */
    Verdict check(String authorization, String address) {
        Duration wait = limiter.waitFor(address);
        if (!wait.isZero()) {
            return new Verdict.Limited(wait);
        }
        byte[] presented = presented(authorization);
        if (MessageDigest.isEqual(token, presented)) {
            return new Verdict.Allowed(authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()));
        }
        if (presented.length > 0) {
            // A request without a token (a browser before its prompt) is not a guess.
            limiter.wrong(address);
        }
        return new Verdict.Refused();
    }

    /** @return the token the header presents, as bytes; empty when it presents none */
    private static byte[] presented(String authorization) {
        if (authorization == null) {
            return NONE;
        }
        if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        }
        if (authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? NONE : pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return NONE;
            }
        }
        return NONE;
    }
}
