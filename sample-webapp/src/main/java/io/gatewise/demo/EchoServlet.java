package io.gatewise.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Collections;

/** The demo's healthy service: answers with the request it received, as plain text. */
public final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long bodyLength = 0;
        try (InputStream body = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                bodyLength += n;
            }
        }
        response.setContentType("text/plain;charset=utf-8");
        PrintWriter out = response.getWriter();
        out.println("Hello from the demo echo service. This is the request it received:");
        out.println();
        String query = request.getQueryString();
        out.println(request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query) + " "
                + request.getProtocol());
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                out.println(name + ": " + value);
            }
        }
        out.println();
        out.println("(" + bodyLength + " bytes of body)");
    }
}
