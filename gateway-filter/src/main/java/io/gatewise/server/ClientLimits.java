package io.gatewise.server;

import io.gatewise.config.ClientLimitsConfig;
import io.gatewise.answer.FailureResponses;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.ConnectionRejections.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What clients may hold of the traffic listeners ({@code gateway.limits}): how many connections in
 * all, how many per client address, and how long one HTTP/1.1 request head may take to arrive.
 * The cleartext and the TLS listener share the limits: {@code maxConnections} counts both, and a
 * client's connections to either count towards its {@code maxConnectionsPerClient}. Each
 * rejection is counted and logged through {@link ConnectionRejections}. The admin listener has none
 * of these limits, so an operator can always reach it.
 */
final class ClientLimits {
    private ClientLimits() {
    }

    /**
     * Puts the limits on the traffic listeners.
     *
     * @param server the server the connectors belong to
     * @param connectors the traffic listeners: the cleartext one, and the TLS one if any
     * @param limits the limits
     * @param rejections where rejections are counted and logged
     * @param pages the gateway's answers, for the {@code 408} page
     */
    static void apply(Server server, List<ServerConnector> connectors, ClientLimitsConfig limits,
            ConnectionRejections rejections, Supplier<FailureResponses> pages) {
        server.addBean(new TotalLimit(limits.maxConnections(), connectors, rejections));
        PerClientLimit perClient = new PerClientLimit(limits.maxConnectionsPerClient(), rejections);
        for (ServerConnector connector : connectors) {
            connector.addBean(perClient);
            server.addBean(new RequestHeadTimeout(connector, limits.requestHeadTimeout().toNanos(), rejections,
                    pages));
        }
    }

    /** At {@code maxConnections} open, the listener stops accepting; new connections wait in the backlog. */
    private static final class TotalLimit extends NetworkConnectionLimit {
        private final ConnectionRejections rejections;

        TotalLimit(int max, List<ServerConnector> connectors, ConnectionRejections rejections) {
            super(max, connectors.toArray(new ServerConnector[0]));
            this.rejections = rejections;
        }

        @Override
        protected void limit() {
            super.limit();
            rejections.rejected(Reason.MAX_CONNECTIONS, "-", getMaxNetworkConnectionCount());
        }
    }

    /** Closes a connection at once when its client address already holds the most it may. */
    static final class PerClientLimit implements Connection.Listener {
        private final int max;
        private final ConnectionRejections rejections;
        /** Open connections per address; an address leaves when its last connection closes. */
        private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
        /** Each open connection's client: a closed endpoint no longer tells its remote address. */
        private final Map<Connection, InetAddress> clients = new ConcurrentHashMap<>();

        PerClientLimit(int max, ConnectionRejections rejections) {
            this.max = max;
            this.rejections = rejections;
        }

        @Override
        public void onOpened(Connection connection) {
            if (connection.getEndPoint() instanceof SslConnection.SslEndPoint) {
                // A protocol inside TLS (ALPN, HTTP/1.1, HTTP/2): its TLS connection was counted already.
                return;
            }
            SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
            if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
                return;
            }
            InetAddress client = inet.getAddress();
            clients.put(connection, client);
            int count = open.merge(client, 1, Integer::sum);
            if (count > max) {
                rejections.rejected(Reason.MAX_CONNECTIONS_PER_CLIENT, client.getHostAddress(), max);
                connection.getEndPoint().close();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            InetAddress client = clients.remove(connection);
            if (client != null) {
                open.computeIfPresent(client, (address, count) -> count > 1 ? count - 1 : null);
            }
        }

        /** @return how many addresses hold connections now */
        int clients() {
            return open.size();
        }
    }

    /**
     * Answers {@code 408} and closes a connection whose request head has been arriving for longer
     * than {@code requestHeadTimeout}: the idle timeout restarts with each byte, so a client that
     * trickles one header line a second would otherwise hold its connection for ever. A sweep
     * every second (or quarter of the timeout, if shorter) sees heads under way, so a head is cut
     * within one sweep past its timeout.
     */
    static final class RequestHeadTimeout extends AbstractLifeCycle implements Runnable {
        private final ServerConnector connector;
        private final long timeoutNanos;
        private final long sweepNanos;
        private final ConnectionRejections rejections;
        private final Supplier<FailureResponses> pages;
        /** Heads under way at the last sweep: since when, and on which of the connection's requests. */
        private Map<HttpConnection, Started> started = new HashMap<>();
        private volatile Scheduler.Task next;

        private record Started(long request, long atNanos) {
        }

        RequestHeadTimeout(ServerConnector connector, long timeoutNanos, ConnectionRejections rejections,
                Supplier<FailureResponses> pages) {
            this.connector = connector;
            this.timeoutNanos = timeoutNanos;
            this.sweepNanos = Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 4);
            this.rejections = rejections;
            this.pages = pages;
        }

        @Override
        protected void doStart() {
            schedule();
        }

        @Override
        protected void doStop() {
            Scheduler.Task task = next;
            if (task != null) {
                task.cancel();
            }
        }

        private void schedule() {
            if (isRunning() || isStarting()) {
                next = connector.getScheduler().schedule(this, sweepNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            try {
                sweep(System.nanoTime());
            } finally {
                schedule();
            }
        }

        /** Cuts the heads past their timeout; remembers those under way. Runs on the scheduler's one thread. */
        void sweep(long nowNanos) {
            Map<HttpConnection, Started> underWay = new HashMap<>();
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (!(http1(endPoint.getConnection()) instanceof HttpConnection http)
                        || !headUnderWay(http.getParser())) {
                    continue;
                }
                Started since = started.get(http);
                if (since == null || since.request() != http.getMessagesIn()) {
                    since = new Started(http.getMessagesIn(), nowNanos);
                }
                if (nowNanos - since.atNanos() >= timeoutNanos) {
                    expire(http);
                } else {
                    underWay.put(http, since);
                }
            }
            started = underWay;
        }

        /**
         * @return the HTTP/1.1 connection over a network connection: itself, or the one inside TLS;
         *     null for another protocol (HTTP/2 bounds its headers in its own way)
         */
        private static Connection http1(Connection connection) {
            if (connection instanceof SslConnection tls) {
                return tls.getSslEndPoint().getConnection();
            }
            return connection;
        }

        /** @return whether the parser has some of a request head, not all of it */
        private static boolean headUnderWay(HttpParser parser) {
            return parser.inHeaderState() && !parser.isStart();
        }

        private void expire(HttpConnection http) {
            EndPoint endPoint = http.getEndPoint();
            SocketAddress remote = endPoint.getRemoteSocketAddress();
            rejections.rejected(Reason.REQUEST_HEAD_TIMEOUT, remote instanceof InetSocketAddress inet
                    ? inet.getAddress().getHostAddress() : "-", Math.round(timeoutNanos / 1e6) + "ms");
            FailureResponses.ServerErrorPage page = pages.get().serverErrorPage(408, null, null);
            StringBuilder head = new StringBuilder("HTTP/1.1 408 Request Timeout\r\n");
            page.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(page.body().length).append("\r\nConnection: close\r\n\r\n");
            try {
                endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()),
                        ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)), ByteBuffer.wrap(page.body()));
            } catch (RuntimeException e) {
                // A write under way (the head completed just now, and its answer is being written): just close.
                endPoint.close();
            }
        }
    }
}
