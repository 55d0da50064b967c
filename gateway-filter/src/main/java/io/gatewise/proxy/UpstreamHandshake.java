package io.gatewise.proxy;

import io.gatewise.client.ExchangeTracker;
import io.gatewise.client.UpstreamTransport;
import io.gatewise.config.UpstreamProtocol;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.UpgradeListener;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The upstream's side of one WebSocket upgrade attempt: Jetty's frame-level handshake over the
 * route's client, always HTTP/1.1, followed by the attempt's {@link ExchangeTracker} like any
 * request, and keeping the upstream's answer (its head, and the start of its body) for when it
 * refuses the upgrade: that answer then passes to the client as it is.
 */
final class UpstreamHandshake extends CoreClientUpgradeRequest {
    /** The most of a refusal's body kept to pass on: a page that says why (401, 403, 426) is far smaller. */
    static final int MAX_REFUSAL_BODY = 64 * 1024;

    private final FrameHandler frameHandler;
    private final ExchangeTracker tracker;
    private final ByteArrayOutputStream refusalBody = new ByteArrayOutputStream();
    private volatile Response response;
    private volatile boolean refusalCut;

    /**
     * @param client the route's WebSocket client
     * @param target the attempt's upstream URL ({@code http} or {@code https})
     * @param frameHandler the session's upstream leg
     * @param tracker the attempt's tracker
     * @param responseTimeoutMillis the route's response timeout, the bound of the whole handshake
     * @param sending told of the underlying request just before it goes out, once its headers are set
     */
    UpstreamHandshake(WebSocketCoreClient client, String target, FrameHandler frameHandler, ExchangeTracker tracker,
            long responseTimeoutMillis, Consumer<Request> sending) {
        super(client, webSocketUri(target));
        this.frameHandler = frameHandler;
        this.tracker = tracker;
        listener(tracker);
        timeout(responseTimeoutMillis, TimeUnit.MILLISECONDS);
        addListener(new UpgradeListener() {
            @Override
            public void onHandshakeRequest(Request request) {
                // WebSocket over HTTP/2 (RFC 8441) is not offered: an upgrade is HTTP/1.1 whatever the route speaks.
                UpstreamTransport.version(request, UpstreamProtocol.HTTP1);
                sending.accept(request);
            }

            @Override
            public void onHandshakeResponse(Request request, Response response) {
                // A 101 goes to the upgrade's own listener, not to the request's.
                UpstreamHandshake.this.response = response;
            }
        });
    }

    /** @return the upstream URL with {@code ws} or {@code wss} for its scheme */
    static URI webSocketUri(String target) {
        if (target.startsWith("https:")) {
            return URI.create("wss:" + target.substring("https:".length()));
        }
        return URI.create("ws:" + target.substring("http:".length()));
    }

    @Override
    public FrameHandler getFrameHandler() {
        return frameHandler;
    }

    /** Sends with a listener that also follows the response, for the tracker and a refusal's body. */
    @Override
    public void send(Response.CompleteListener listener) {
        super.send(new Following(listener));
    }

    /** @return the upstream's answer (a refusal, or the {@code 101} it accepted with); null if none came */
    Response response() {
        return response;
    }

    /** @return the start of a refusal's body, up to {@link #MAX_REFUSAL_BODY} */
    byte[] refusalBody() {
        synchronized (refusalBody) {
            return refusalBody.toByteArray();
        }
    }

    /** @return whether the refusal's body was longer than what was kept */
    boolean refusalCut() {
        return refusalCut;
    }

    /** Follows the upstream's answer, then completes the upgrade as Jetty's listener does. */
    private final class Following implements Response.Listener {
        private final Response.CompleteListener upgrade;

        Following(Response.CompleteListener upgrade) {
            this.upgrade = upgrade;
        }

        @Override
        public void onBegin(Response response) {
            tracker.onBegin(response);
        }

        @Override
        public boolean onHeader(Response response, HttpField field) {
            return tracker.onHeader(response, field);
        }

        @Override
        public void onHeaders(Response response) {
            tracker.onHeaders(response);
            UpstreamHandshake.this.response = response;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            synchronized (refusalBody) {
                int room = MAX_REFUSAL_BODY - refusalBody.size();
                int kept = Math.min(room, content.remaining());
                if (kept < content.remaining()) {
                    refusalCut = true;
                }
                byte[] bytes = new byte[kept];
                content.get(bytes);
                refusalBody.write(bytes, 0, kept);
            }
        }

        @Override
        public void onComplete(Result result) {
            upgrade.onComplete(result);
        }
    }
}
