package io.gatewise.answer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's answers to gRPC calls, in gRPC's own terms: a gRPC client reads no status line and
 * no page, only {@code grpc-status} and {@code grpc-message}. An answer is HTTP 200 and a
 * trailers-only response (one header section, no body) whose {@code grpc-status} follows gRPC's
 * mapping of HTTP statuses: a 502, 503 or 504 and a 429 are {@code UNAVAILABLE} (14), which a gRPC
 * client may retry; a 404 is {@code UNIMPLEMENTED} (12); and so on.
 */
public final class GrpcAnswers {
    /** {@code UNKNOWN}: what gRPC makes of an HTTP status its mapping does not name. */
    public static final int UNKNOWN = 2;
    /** {@code INTERNAL}. */
    public static final int INTERNAL = 13;
    /** {@code UNAVAILABLE}. */
    public static final int UNAVAILABLE = 14;
    /** {@code UNIMPLEMENTED}. */
    public static final int UNIMPLEMENTED = 12;
    /** {@code UNAUTHENTICATED}. */
    public static final int UNAUTHENTICATED = 16;
    /** {@code PERMISSION_DENIED}. */
    public static final int PERMISSION_DENIED = 7;

    private static final String GRPC_CONTENT_TYPE = "application/grpc";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcAnswers() {
    }

    /**
     * @param request a client's request
     * @return whether it is a gRPC call: its {@code Content-Type} is {@code application/grpc} or
     *     one of its kinds ({@code application/grpc+proto}, {@code application/grpc-web}, ...)
     */
    public static boolean isGrpc(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0, GRPC_CONTENT_TYPE.length());
    }

    /**
     * gRPC's mapping of the HTTP status a call got from something that is not a gRPC server.
     *
     * @param httpStatus the status the gateway would have answered a plain HTTP request with
     * @return the gRPC status code
     */
    public static int code(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            case 429, 502, 503, 504 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }

    /**
     * Writes a trailers-only answer; the caller has set {@code Proxy-Status} and what else belongs
     * on every answer, and the response must not be committed.
     *
     * @param request the gRPC call
     * @param response its response
     * @param httpStatus the HTTP status the failure has (such as 502), mapped to a gRPC status
     * @param message what the client's gRPC library reports: the visitor-safe text and the incident
     */
    static void write(HttpServletRequest request, HttpServletResponse response, int httpStatus, String message) {
        response.setStatus(HttpServletResponse.SC_OK);
        String type = request.getContentType();
        // The call's own content type (application/grpc+proto, ...), as a gRPC server answers.
        response.setContentType(type.indexOf(';') < 0 ? type : type.substring(0, type.indexOf(';')).trim());
        response.setHeader("grpc-status", Integer.toString(code(httpStatus)));
        if (message != null && !message.isEmpty()) {
            response.setHeader("grpc-message", percentEncode(message));
        }
        // Nothing is written: completing the response sends one header section that ends the stream.
    }

    /**
     * gRPC's encoding of {@code grpc-message}: UTF-8, with every byte outside printable ASCII and
     * {@code %} itself written as {@code %XX}.
     *
     * @param message the text
     * @return the field value
     */
    public static String percentEncode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 0x20 && c <= 0x7E && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return encoded.toString();
    }
}
