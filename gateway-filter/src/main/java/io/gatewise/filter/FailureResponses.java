package io.gatewise.filter;

import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers the client for a failure the gateway classified: status, {@code Proxy-Status},
 * {@code Cache-Control: no-store}, and the container's error dispatch for the body, so a
 * {@code web.xml} error page can render it. A response already committed cannot be answered: the
 * client connection is aborted instead.
 */
public final class FailureResponses {
    private FailureResponses() {
    }

    /**
     * @param response the proxy-to-client response
     * @param gatewayName the gateway's name, the {@code Proxy-Status} member
     * @param failure the recorded failure
     * @param operator whether the request may see operator detail ({@code details} in {@code Proxy-Status})
     * @param retryAfterSeconds the {@code Retry-After} sent with a 503
     * @throws IOException if the client connection fails while answering
     */
    public static void send(HttpServletResponse response, String gatewayName, UpstreamFailure failure,
            boolean operator, long retryAfterSeconds) throws IOException {
        if (response.isCommitted() || failure.responseCommitted()) {
            // The body has begun (sent, or buffered in non-blocking mode): aborting tells the client it is incomplete.
            response.sendError(-1);
            return;
        }
        // Drop whatever the upstream's headers put there (Content-Length, Content-Type, ...).
        response.reset();
        response.setHeader(ProxyStatus.HEADER, ProxyStatus.member(gatewayName, failure, operator));
        response.setHeader("Cache-Control", "no-store");
        if (failure.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        response.sendError(failure.status(), visitorMessage(failure));
    }

    /**
     * @param failure a failure
     * @return what a visitor may read: the kind of failure and the incident, no addresses or exception text
     */
    public static String visitorMessage(UpstreamFailure failure) {
        return "The gateway could not get a response from the upstream service (" + failure.type().token()
                + "). Incident " + failure.incident() + ".";
    }
}
