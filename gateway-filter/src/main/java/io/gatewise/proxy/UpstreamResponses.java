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
        String coding = unsupportedTransferCoding(serverResponse);
        if (coding != null) {
            // Jetty's client undoes chunked only: the body would reach the client still coded, with nothing to say so.
            return new InvalidResponseException("Transfer-Encoding " + coding + " (only chunked can be passed on)");
        }
        return null;
    }

    /**
     * A transfer coding is hop-by-hop (RFC 9112 6.1): the gateway must undo it. It undoes
     * {@code chunked} only; decoding {@code gzip} here would mean inflating a body of any size the
     * upstream chooses, and passing it on as a content coding would change what caches and clients
     * take the representation to be. So any other coding is refused, not corrupted silently.
     *
     * @return the first coding besides {@code chunked} in {@code Transfer-Encoding}, or null
     */
    private static String unsupportedTransferCoding(Response serverResponse) {
        for (String value : serverResponse.getHeaders().getValuesList(HttpHeader.TRANSFER_ENCODING)) {
            for (String coding : value.split(",")) {
                String name = coding.strip();
                if (!name.isEmpty() && !"chunked".equalsIgnoreCase(name)) {
                    return name.length() > 40 ? name.substring(0, 40) + "..." : name;
                }
            }
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
