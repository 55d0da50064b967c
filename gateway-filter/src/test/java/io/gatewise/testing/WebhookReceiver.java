package io.gatewise.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An alert receiver on a free port of 127.0.0.1: a real Jetty server that records every request
 * it gets (method, path, headers, body) and answers {@code 200}, or {@code 500} for as many
 * requests as a test asks it to fail. {@link GatewayExtension#webhookReceiver()} starts one.
 */
public final class WebhookReceiver {
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private JettyUpstream server;

    /**
     * One request the receiver got.
     *
     * @param method its method
     * @param path its path
     * @param headers its headers, by lower-case name (the first value of each)
     * @param body its body, as UTF-8 text
     * @param answered the status it was answered with
     */
    public record Received(String method, String path, Map<String, String> headers, String body, int answered) {
    }

    private WebhookReceiver() {
    }

    static WebhookReceiver start(GatewayExtension owner) throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        receiver.server = owner.jettyUpstream(new Recorder(receiver));
        return receiver;
    }

    /** @return its URL with the path {@code /hook}, such as {@code http://127.0.0.1:40123/hook} */
    public String url() {
        return server.url() + "/hook";
    }

    /** @param count how many of the next requests it answers {@code 500} */
    public void failNext(int count) {
        failNext.set(count);
    }

    /** @return every request so far, oldest first */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Records a request and answers it. */
    private static final class Recorder extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient WebhookReceiver receiver;

        Recorder(WebhookReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
            }
            int status = receiver.failNext.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 500 : 200;
            receiver.received.add(new Received(request.getMethod(), request.getRequestURI(), headers, body, status));
            response.setStatus(status);
        }
    }
}
