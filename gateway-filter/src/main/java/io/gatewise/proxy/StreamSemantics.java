package io.gatewise.proxy;

import io.gatewise.answer.GrpcAnswers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * What Jetty's proxy servlet loses of HTTP/2 and gRPC by default, put back: a request body of
 * unknown length, {@code TE: trailers}, and the upstream's trailer fields.
 */
final class StreamSemantics {
    private static final String TRAILERS = "trailers";

    private StreamSemantics() {
    }

    /**
     * A request over HTTP/2 (or 3) need not say how long its body is: no {@code Content-Length}
     * and no {@code Transfer-Encoding}, which HTTP/2 forbids. Such a request of a method that
     * carries a body (every gRPC call is a {@code POST}) has one; Jetty's check, made for
     * HTTP/1.1, would drop it.
     *
     * @param request the client's request, which Jetty found to have no body
     * @return whether it has a body of unknown length
     */
    static boolean hasBodyOfUnknownLength(HttpServletRequest request) {
        if (request.getContentLengthLong() >= 0 || request.getProtocol().startsWith("HTTP/1")) {
            return false;
        }
        return switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS", "DELETE", "TRACE" -> false;
            default -> true;
        };
    }

    /**
     * {@code TE} is hop-by-hop, and Jetty drops it; but {@code TE: trailers} says the client takes
     * trailer fields, which a gRPC server requires of its callers, and HTTP/2 allows exactly that
     * value. It goes on to the upstream when the client sent it.
     *
     * @param clientRequest the client's request
     * @param proxyRequest the request to the upstream
     */
    static void passTrailersAccepted(HttpServletRequest clientRequest, Request proxyRequest) {
        if (acceptsTrailers(clientRequest)) {
            proxyRequest.headers(headers -> headers.put(HttpHeader.TE, TRAILERS));
        }
    }

    /**
     * Sends the upstream's trailer fields (gRPC's {@code grpc-status}, {@code grpc-message},
     * {@code grpc-status-details-bin}, any other) to the client after the body; must be set before
     * the response is committed. Over HTTP/2 always; an HTTP/1.1 client gets them in the last
     * chunk when it takes trailers ({@code TE: trailers}), the upstream announced some
     * ({@code Trailer}) or the call is gRPC, since that costs a body of known length its
     * {@code Content-Length}; HTTP/1.0 has no trailers.
     *
     * @param clientRequest the client's request
     * @param proxyResponse the response to the client, not committed
     * @param serverResponse the upstream's response, its headers read
     */
    static void relayTrailers(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse) {
        String protocol = clientRequest.getProtocol();
        if ("HTTP/1.0".equals(protocol)) {
            return;
        }
        if (protocol.startsWith("HTTP/1") && !acceptsTrailers(clientRequest) && !serverResponse.getHeaders().contains(HttpHeader.TRAILER) && !GrpcAnswers.isGrpc(clientRequest)) {
            return;
        }
        proxyResponse.setTrailerFields(() -> trailers(serverResponse.getTrailers()));
    }

    /** @return whether the client's {@code TE} names {@code trailers} */
    private static boolean acceptsTrailers(HttpServletRequest clientRequest) {
        String te = clientRequest.getHeader(HttpHeader.TE.asString());
        return te != null && te.toLowerCase(Locale.ROOT).contains(TRAILERS);
    }

    private static Map<String, String> trailers(HttpFields fields) {
        if (fields == null || fields.size() == 0) {
            return Map.of();
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        for (HttpField field : fields) {
            // Several fields of one name become one, comma-separated, as the Servlet API's map can hold.
            trailers.merge(field.getLowerCaseName(), field.getValue(), (first, next) -> first + ", " + next);
        }
        return trailers;
    }
}
