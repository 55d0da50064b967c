package io.gatewise.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace receiver on a free port of 127.0.0.1: a real Jetty server that records every
 * {@code POST /v1/traces} it gets (headers and the raw protobuf body) and answers {@code 200} with
 * an empty {@code ExportTraceServiceResponse}, or with the status a test {@linkplain #answer(int)
 * sets}. Asked to {@link #hold()}, it reads each request but answers none until {@link #release()},
 * as a collector too slow for the exporter's timeout.
 * {@link GatewayExtension#otlpReceiver()} starts one and stops it after the test.
 */
public final class OtlpReceiver {
    /** The path OTLP/HTTP sends spans to. */
    public static final String PATH = "/v1/traces";

    private final List<Export> exports = new CopyOnWriteArrayList<>();
    private final List<AsyncContext> held = new ArrayList<>();
    private boolean holding;
    private volatile int status = 200;
    private JettyUpstream server;

    /**
     * One request the receiver got.
     *
     * @param method its method
     * @param path its path
     * @param headers its headers, by lower-case name (the first value of each)
     * @param body its body, as sent
     */
    public record Export(String method, String path, Map<String, String> headers, byte[] body) {
        /** @return the body's protobuf strings are raw UTF-8: whether it holds this text */
        public boolean contains(String text) {
            return contains(text.getBytes(StandardCharsets.UTF_8));
        }

        /** @return whether the body holds these bytes in a row */
        public boolean contains(byte[] bytes) {
            return indexOf(body, bytes) >= 0;
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private OtlpReceiver() {
    }

    static OtlpReceiver start(GatewayExtension owner) throws Exception {
        OtlpReceiver receiver = new OtlpReceiver();
        receiver.server = JettyUpstream.start(Map.of("/*", new Collector(receiver)));
        return owner.closeAfterwards(receiver, OtlpReceiver::stop);
    }

    /** @return its traces URL, such as {@code http://127.0.0.1:40123/v1/traces} */
    public String url() {
        return server.url() + PATH;
    }

    /** @return every request so far, oldest first */
    public List<Export> exports() {
        return List.copyOf(exports);
    }

    /**
     * @param traceId a trace id, 32 hex digits
     * @return whether any request so far carried a span of that trace (its 16 raw bytes)
     */
    public boolean receivedTrace(String traceId) {
        byte[] raw = HexFormat.of().parseHex(traceId);
        return exports.stream().anyMatch(export -> export.contains(raw));
    }

    /** @param status what it answers from now on, such as {@code 400} for a collector refusing every export */
    public void answer(int status) {
        this.status = status;
    }

    /** From now on, reads each request and leaves it unanswered until {@link #release()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** Answers every request held, and holds no more. */
    public void release() {
        List<AsyncContext> waiting;
        synchronized (this) {
            holding = false;
            waiting = List.copyOf(held);
            held.clear();
        }
        for (AsyncContext async : waiting) {
            try {
                respond((HttpServletResponse) async.getResponse());
                async.complete();
            } catch (RuntimeException | IOException gone) {
                // The exporter gave up on it already and closed the connection.
            }
        }
    }

    /** @return how many requests it holds unanswered now */
    public synchronized int heldCount() {
        return held.size();
    }

    private void stop() throws Exception {
        release();
        server.close();
    }

    private void respond(HttpServletResponse response) throws IOException {
        if (status != 200) {
            response.sendError(status);
            return;
        }
        response.setStatus(200);
        response.setContentType("application/x-protobuf");
        response.setContentLength(0);
    }

    /** Records a request, then answers it or holds it. */
    private static final class Collector extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient OtlpReceiver receiver;

        Collector(OtlpReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
            }
            receiver.exports.add(new Export(request.getMethod(), request.getRequestURI(), headers, body));
            if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())) {
                response.sendError(404);
                return;
            }
            synchronized (receiver) {
                if (receiver.holding) {
                    AsyncContext async = request.startAsync();
                    async.setTimeout(0);
                    receiver.held.add(async);
                    return;
                }
            }
            receiver.respond(response);
        }
    }
}
