package io.gatewise.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The WebSocket scenarios' upstream, in a process of its own (started with the JVM flags every
 * target gets, so its CPU time is read apart from the proxy's and the load client's): a Jetty
 * server on 127.0.0.1 whose every path accepts a WebSocket and echoes each message whole, in one
 * frame, as an application that handles messages does. (Echoing partial messages as they come
 * would fragment the echo wherever Jetty's reads end: a 16 KB message came back in five frames.)
 * A binary message is written back from the buffer Jetty aggregated it in, and the next is read
 * only once it is written: no copy, no queue. A plain {@code GET} is answered 200, for the
 * harness's readiness check.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.gatewise.bench.load.WebSocketEchoUpstream PORT}
 */
public final class WebSocketEchoUpstream {
    private WebSocketEchoUpstream() {
    }

    /**
     * @param args the port to listen on, on 127.0.0.1
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        serve(Integer.parseInt(args[0])).join();
    }

    /**
     * @param port the port to listen on, on 127.0.0.1; 0 for a free one
     * @return the started server
     */
    static Server serve(int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.setMaxTextMessageSize(16L * 1024 * 1024);
            container.setMaxBinaryMessageSize(16L * 1024 * 1024);
            container.addMapping("/*", (request, response, callback) -> new Echo());
        });
        webSockets.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, ByteBuffer.wrap("WebSocket echo\n".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        context.setHandler(webSockets);
        server.setHandler(context);
        server.start();
        return server;
    }

    /**
     * @param classpath the harness's jar
     * @param jvmFlags the flags every JVM of the comparison gets
     * @param port the port to listen on
     * @param work where its log goes
     * @return the started process
     */
    static Process start(Path classpath, List<String> jvmFlags, int port, Path work) throws IOException {
        List<String> command = new ArrayList<>(List.of(Target.java()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath.toString(), WebSocketEchoUpstream.class.getName(),
                Integer.toString(port)));
        return Target.launch(command, work, "websocket-echo");
    }

    /** Echoes each message of one session. Public, as Jetty's WebSocket API asks of an endpoint. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            // The message's buffer stays valid until its callback completes: written back as it is, then released.
            session.sendBinary(payload, callback);
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }
}
