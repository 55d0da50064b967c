package io.gatewise.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers with what it received, as JSON: method, raw URI and query, headers, and the body's
 * length and SHA-256 (read as a stream, never held whole).
 */
public final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", request.getMethod());
        echo.put("protocol", request.getProtocol());
        echo.put("uri", request.getRequestURI());
        echo.put("query", request.getQueryString());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        echo.put("headers", headers);
        MessageDigest sha = Digests.sha256();
        long length = 0;
        byte[] buffer = new byte[16384];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                length += n;
            }
        }
        echo.put("bodyLength", length);
        echo.put("bodySha256", Digests.hex(sha.digest()));
        response.setContentType("application/json");
        response.setHeader("X-Upstream", "echo");
        JSON.writeValue(response.getOutputStream(), echo);
    }

    /**
     * @param json the servlet's answer
     * @return it as a map
     * @throws IOException if it is not JSON
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) throws IOException {
        return JSON.readValue(json, Map.class);
    }

    /**
     * @param echo a parsed answer
     * @param name a header name, lower case
     * @return the values the upstream received for it, empty if none
     */
    @SuppressWarnings("unchecked")
    public static List<String> header(Map<String, Object> echo, String name) {
        return ((Map<String, List<String>>) echo.get("headers")).getOrDefault(name, List.of());
    }
}
