package io.gatewise.client;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.InetAddressSet;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP clients towards the upstreams: one per distinct {@link ClientSettings}, sharing one
 * executor, scheduler and buffer pool, all resolving names through an {@link UpstreamResolver}
 * over the gateway's {@link DnsCache}. A client is made the first time its settings are asked for,
 * so routes added later find theirs; all are stopped together.
 */
public final class UpstreamClients {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    private final Map<ClientSettings, HttpClient> clients = new ConcurrentHashMap<>();
    private final Hooks hooks;
    private final DnsCache dnsCache;
    private final Executor executor;
    private final QueuedThreadPool ownThreadPool;
    private final Scheduler scheduler = new ScheduledExecutorScheduler("gatewise-upstream-scheduler", true);
    private final ByteBufferPool bufferPool = new ArrayByteBufferPool();
    private final TlsHandshakeFailures handshakeFailures = new TlsHandshakeFailures();
    private final SocketAddressResolver resolver;
    private final Predicate<InetAddress> prohibited;

    /**
     * How each client is made: the proxy servlet's Jetty hooks, so a subclass that overrides them
     * shapes every client.
     *
     * @param newConnector makes a client connector
     * @param newClient makes a client over a connector
     * @param newContinueHandler makes the handler of {@code 100 Continue} answers
     * @param serverExecutor the server's thread pool to share, or null for one of the clients' own
     */
    public record Hooks(Supplier<ClientConnector> newConnector, Function<ClientConnector, HttpClient> newClient,
            Supplier<ContinueProtocolHandler> newContinueHandler, Executor serverExecutor) {
    }

    /**
     * Starts the shared executor and scheduler; clients are made as their settings are asked for.
     *
     * @param hooks how each client is made
     * @param resolver resolves upstream names; null for the JDK's, asynchronously
     * @param prohibitedAddresses addresses and CIDR ranges no upstream name may resolve to
     * @param dnsCache keeps answers between lookups
     */
    public UpstreamClients(Hooks hooks, SocketAddressResolver resolver, List<String> prohibitedAddresses,
            DnsCache dnsCache) {
        this.hooks = hooks;
        this.dnsCache = dnsCache;
        if (hooks.serverExecutor() != null) {
            executor = hooks.serverExecutor();
            ownThreadPool = null;
        } else {
            ownThreadPool = new QueuedThreadPool(256);
            ownThreadPool.setName("gatewise-upstream");
            executor = ownThreadPool;
        }
        InetAddressSet prohibitedSet = new InetAddressSet();
        prohibitedSet.addAll(prohibitedAddresses);
        prohibited = prohibitedSet;
        try {
            LifeCycle.start(ownThreadPool);
            LifeCycle.start(scheduler);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        this.resolver = resolver != null ? resolver : new SocketAddressResolver.Async(executor, scheduler, 0);
    }

    /**
     * @param settings the settings a route asks for
     * @return the started client for those settings, shared by every route that asks for the same
     * @throws IllegalStateException if a new client cannot start
     */
    public HttpClient clientFor(ClientSettings settings) {
        HttpClient client = clients.get(settings);
        return client != null ? client : clients.computeIfAbsent(settings, this::start);
    }

    private HttpClient start(ClientSettings settings) {
        ClientConnector connector = hooks.newConnector().get();
        SslContextFactory.Client tls = connector.getSslContextFactory();
        if (tls == null) {
            tls = new SslContextFactory.Client();
            connector.setSslContextFactory(tls);
        }
        settings.tls().trustStore().ifPresent(tls::setTrustStore);
        HttpClient client = hooks.newClient().apply(connector);
        // Redirects and cookies belong to the client behind the gateway, never to the gateway.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setByteBufferPool(bufferPool);
        // Hears each refused TLS handshake, whatever the request is told (see TlsHandshakeFailures).
        client.addBean(handshakeFailures);
        client.setSocketAddressResolver(dnsCache.over(new UpstreamResolver(resolver, scheduler,
                settings.resolveTimeout(), prohibited)));
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setIdleTimeout(settings.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerUpstream());
        client.setMaxRequestsQueuedPerDestination(settings.maxQueuedPerUpstream());
        client.setMaxResponseHeadersSize(settings.parserHeaderLimit());
        // HTTP/2's header and trailer sections get the same headroom above the gateway's own limit.
        client.getContainedBeans(HTTP2Client.class)
                .forEach(http2 -> http2.setMaxResponseHeadersSize(settings.parserHeaderLimit()));
        client.setUserAgentField(null);
        // A body the client sent without a Content-Type goes on without one: the gateway does not guess.
        client.setDefaultRequestContentType(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the client for " + settings, e);
        }
        // Bodies pass through as they are. Of the protocol handlers only the interim ones stay: 100
        // Continue, and 102 Processing and 103 Early Hints, which are skipped so the final answer follows;
        // and the upgrade's, for a WebSocket handshake (a request that asked for no upgrade never takes a 101).
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(hooks.newContinueHandler().get());
        client.getProtocolHandlers().put(new ProcessingProtocolHandler());
        client.getProtocolHandlers().put(new EarlyHintsProtocolHandler());
        client.getProtocolHandlers().put(new UpgradeProtocolHandler());
        return client;
    }

    /** @return the settings of every client there is now */
    public Set<ClientSettings> settings() {
        return Set.copyOf(clients.keySet());
    }

    /**
     * @param settings a client's settings
     * @return whether a client of those settings is open now
     */
    public boolean isOpen(ClientSettings settings) {
        return clients.containsKey(settings);
    }

    /**
     * Closes the client of these settings if none of its connections is in use and no request
     * waits in its queues; a route that asks for those settings later gets a new client.
     *
     * @param settings a client's settings
     * @return whether no client of those settings is open any more
     */
    public boolean closeIfIdle(ClientSettings settings) {
        HttpClient client = clients.get(settings);
        if (client == null) {
            return true;
        }
        if (!idle(client) || !clients.remove(settings, client)) {
            return false;
        }
        stopQuietly(client);
        LOG.info("Closed the upstream client no route uses any more: {}", settings);
        return true;
    }

    private static boolean idle(HttpClient client) {
        for (Destination destination : client.getDestinations()) {
            if (destination instanceof HttpDestination http && http.getQueuedRequestCount() > 0) {
                return false;
            }
            if (destination.getConnectionPool() instanceof AbstractConnectionPool pool
                    && pool.getActiveConnectionCount() > 0) {
                return false;
            }
        }
        return true;
    }

    /** @return why the clients' failed TLS handshakes failed, by connection */
    public TlsHandshakeFailures handshakeFailures() {
        return handshakeFailures;
    }

    /** @return the scheduler the clients share */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** @return how many distinct clients there are */
    public int size() {
        return clients.size();
    }

    /** Stops every client and the shared scheduler and pool; each is tried, failures are logged. */
    public void stop() {
        for (HttpClient client : clients.values()) {
            stopQuietly(client);
        }
        stopQuietly(scheduler);
        if (ownThreadPool != null) {
            stopQuietly(ownThreadPool);
        }
    }

    private static void stopQuietly(LifeCycle lifeCycle) {
        try {
            lifeCycle.stop();
        } catch (Exception e) {
            LOG.debug("Cannot stop {}", lifeCycle, e);
        }
    }
}
