package io.gatewise.admin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The JSON body of an admin action: read within a bound, and its fields checked for type. */
final class ActionBodies {
    /** The largest body an action reads. */
    static final int MAX_BODY = 16 * 1024;

    private ActionBodies() {
    }

    /**
     * @param request an action's request
     * @return its body, as text
     * @throws IllegalArgumentException if it is larger than {@value #MAX_BODY} bytes
     */
    static String read(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IllegalArgumentException("the body is larger than " + MAX_BODY + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * @return the field's text
     * @throws IllegalArgumentException if it is missing or not a string
     */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    /**
     * @return the field's value
     * @throws IllegalArgumentException if it is missing or not a boolean
     */
    static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return value.asBoolean();
    }
}
