package io.gatewise.proxy;

import java.util.concurrent.TimeUnit;

/**
 * A gRPC call's own deadline, its {@code grpc-timeout} header: at most 8 digits and a unit
 * ({@code H}, {@code M}, {@code S}, {@code m}, {@code u}, {@code n}), as gRPC over HTTP/2 writes it.
 * The gateway ends its upstream exchange {@link #GRACE_MILLIS} after the caller's deadline, as the
 * caller gives up then: a stream the upstream (or the client library under it) never ends cannot
 * outlive it. The grace lets the caller's own {@code DEADLINE_EXCEEDED}, and its cancel, come
 * first, rather than race the gateway's {@code UNAVAILABLE} to the caller.
 */
final class GrpcDeadline {
    static final String HEADER = "grpc-timeout";
    /** How long after the caller's deadline the gateway ends the upstream exchange itself. */
    static final long GRACE_MILLIS = 1000;
    private static final int MAX_DIGITS = 8;

    private GrpcDeadline() {
    }

    /**
     * @param value the header's value, or null
     * @return the deadline in milliseconds (at least 1), or -1 if there is none or it is malformed
     */
    static long millis(String value) {
        if (value == null || value.length() < 2 || value.length() > MAX_DIGITS + 1) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        if (unit == null) {
            return -1;
        }
        return Math.max(1, unit.toMillis(amount));
    }
}
