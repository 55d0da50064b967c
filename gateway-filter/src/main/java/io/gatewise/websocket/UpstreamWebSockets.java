package io.gatewise.websocket;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The WebSocket client of each upstream client: made on first use, over the route's own
 * {@link HttpClient} (its connector, DNS cache, prohibited addresses, TLS checks and timeouts), and
 * stopped with it.
 */
public final class UpstreamWebSockets {
    private UpstreamWebSockets() {
    }

    /**
     * @param httpClient a route's upstream client, started
     * @return its WebSocket client, started
     */
    public static WebSocketCoreClient of(HttpClient httpClient) {
        synchronized (httpClient) {
            WebSocketCoreClient existing = httpClient.getBean(WebSocketCoreClient.class);
            if (existing != null) {
                return existing;
            }
            WebSocketComponents components = new WebSocketComponents(null, null, httpClient.getByteBufferPool(),
                    null, null, httpClient.getExecutor());
            WebSocketCoreClient client = new WebSocketCoreClient(httpClient, components);
            // Managed: started now, as the HTTP client runs, and stopped with it.
            httpClient.addBean(client, true);
            if (!client.isStarted()) {
                try {
                    client.start();
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start the upstream WebSocket client", e);
                }
            }
            return client;
        }
    }
}
