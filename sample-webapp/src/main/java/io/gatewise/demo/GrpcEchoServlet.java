package io.gatewise.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo's gRPC service: {@code grpc.testing.SimpleService/UnaryRpc} (the service of grpc-java's
 * {@code grpc-testing-proto}), answering {@code echo <message>}; its other methods are
 * {@code UNIMPLEMENTED}. Small enough to write by hand: one message in, one out, each a protobuf
 * message of one string field, framed as gRPC frames them, with {@code grpc-status} in the
 * trailers.
 */
public final class GrpcEchoServlet extends HttpServlet {
    /** Where it answers. */
    public static final String SERVICE = "/grpc.testing.SimpleService/";

    private static final long serialVersionUID = 1L;
    private static final int MAX_MESSAGE = 64 * 1024;
    /** Field 1, length-delimited: {@code request_message} and {@code response_message} alike. */
    private static final int STRING_FIELD_1 = 0x0A;
    private static final int FRAME_PREFIX = 5;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/grpc");
        if (!request.getRequestURI().equals(SERVICE + "UnaryRpc")) {
            end(response, 12, "only UnaryRpc is served here");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), MAX_MESSAGE + FRAME_PREFIX);
        String message = body == null ? null : requestMessage(body);
        if (message == null) {
            end(response, 13, "expected one uncompressed SimpleRequest of at most 64KB");
            return;
        }
        byte[] reply = stringField("echo " + message);
        byte[] frame = new byte[FRAME_PREFIX + reply.length];
        frame[1] = (byte) (reply.length >>> 24);
        frame[2] = (byte) (reply.length >>> 16);
        frame[3] = (byte) (reply.length >>> 8);
        frame[4] = (byte) reply.length;
        System.arraycopy(reply, 0, frame, FRAME_PREFIX, reply.length);
        response.setTrailerFields(() -> Map.of("grpc-status", "0"));
        response.getOutputStream().write(frame);
    }

    /** A trailers-only answer: the status in the one header section. */
    private static void end(HttpServletResponse response, int status, String message) {
        response.setHeader("grpc-status", Integer.toString(status));
        response.setHeader("grpc-message", message.replace("%", "%25"));
    }

    /** @return the body, or null if it is longer than the limit */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (body.size() + n > limit) {
                return null;
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /** @return the string of field 1 of the one framed message, "" if absent; null if malformed */
    private static String requestMessage(byte[] body) {
        if (body.length < FRAME_PREFIX || body[0] != 0) {
            return null;
        }
        int length = (body[1] & 0xFF) << 24 | (body[2] & 0xFF) << 16 | (body[3] & 0xFF) << 8 | body[4] & 0xFF;
        if (length != body.length - FRAME_PREFIX) {
            return null;
        }
        if (length == 0) {
            return "";
        }
        if ((body[FRAME_PREFIX] & 0xFF) != STRING_FIELD_1) {
            return null;
        }
        int position = FRAME_PREFIX + 1;
        int size = 0;
        for (int shift = 0; position < body.length && shift < 32; shift += 7) {
            int b = body[position++] & 0xFF;
            size |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return size == body.length - position
                        ? new String(body, position, size, StandardCharsets.UTF_8) : null;
            }
        }
        return null;
    }

    private static byte[] stringField(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream field = new ByteArrayOutputStream(bytes.length + 6);
        field.write(STRING_FIELD_1);
        int size = bytes.length;
        while (size >= 0x80) {
            field.write(size & 0x7F | 0x80);
            size >>>= 7;
        }
        field.write(size);
        field.write(bytes, 0, bytes.length);
        return field.toByteArray();
    }
}
