package io.gatewise.proxy;

import io.gatewise.failure.InvalidResponseException;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/** What an upstream may not answer, however well-formed its bytes (RFC 9110, RFC 9112). */
final class UpstreamResponses {
    private UpstreamResponses() {
    }

    /**
     * @param serverResponse the upstream's response head
     * @return why no client may get it, or null when it may pass
     */
    static InvalidResponseException invalid(Response serverResponse) {
        int status = serverResponse.getStatus();
        if (status == HttpStatus.SWITCHING_PROTOCOLS_101) {
            // The gateway never forwards Upgrade, so no upstream was asked to switch.
            return new InvalidResponseException("101 Switching Protocols without an upgrade request");
        }
        if (status < HttpStatus.OK_200) {
            return new InvalidResponseException("interim status " + status + " as a final response");
        }
        if (status == HttpStatus.NO_CONTENT_204 && (serverResponse.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
                || contentLength(serverResponse) > 0)) {
            return new InvalidResponseException("204 No Content with a body");
        }
        return null;
    }

    private static long contentLength(Response serverResponse) {
        try {
            return serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
