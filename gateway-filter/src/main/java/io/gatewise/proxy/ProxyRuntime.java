package io.gatewise.proxy;

import io.gatewise.client.UpstreamClients;
import io.gatewise.exchange.ExchangeReaders;
import io.gatewise.trace.Tracing;
import io.gatewise.websocket.WebSocketSessions;
import java.time.Clock;

/**
 * What the request path needs of the running gateway, and nothing more: the proxy reaches the
 * runtime only through this.
 */
public interface ProxyRuntime {
    /** @return the snapshot requests start on now */
    Snapshot snapshot();

    /** @return the proxied exchanges in flight, which a stopping gateway waits for and ends */
    ExchangesInFlight inFlight();

    /** @return the WebSocket sessions open now, which a stopping gateway tells to go away */
    WebSocketSessions webSockets();

    /** @return the memory all request bodies kept for a retry share */
    ReplayMemory replayMemory();

    /** @return the upstream clients; null unless running */
    UpstreamClients clients();

    /** @return where each exchange's record goes when it ends */
    ExchangeReaders readers();

    /** @return the gateway's clock, for {@code Retry-After} */
    Clock clock();

    /** @return the gateway's tracing: where each request's trace begins */
    Tracing tracing();

    /** Counts a request refused as {@code proxy_loop_detected}. */
    void loopDetected();
}
