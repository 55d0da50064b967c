package io.gatewise.failure;

/**
 * The gateway ended an exchange itself because it is stopping and the exchange was still in
 * flight at the shutdown deadline. The proxy-to-server request is aborted with it, so the
 * exchange ends through the same path as any other failure; it never blames the upstream.
 *
 * <p>It is classified as {@link ProxyErrorType#PROXY_INTERNAL_RESPONSE} ("the gateway answered
 * itself, for a reason that is not an error of the upstream"), cause
 * {@link FailureCause#GATEWAY_STOPPING}, answered {@value #STATUS} with {@code Retry-After}:
 * {@code destination_unavailable} would say the next hop was out and send operators to an
 * upstream that was working, and count against it in metrics and alerts.
 */
public final class GatewayStoppingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The reason operators read in the failure log and in {@code Proxy-Status} details. */
    public static final String REASON = "gateway shutting down: still in flight at the shutdown deadline";

    /** The status the client gets, when its response has not begun: 503, try again (elsewhere). */
    public static final int STATUS = 503;

    /** Creates the exception; without a stack trace, which would only show the draining thread. */
    public GatewayStoppingException() {
        super(REASON, null, false, false);
    }
}
