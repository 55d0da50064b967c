package io.gatewise.proxy;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
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
 * executor, scheduler and buffer pool, all resolving names through an {@link UpstreamResolver}.
 * Started together, stopped together.
 */
final class UpstreamClients {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    private final Map<ClientSettings, HttpClient> clients = new LinkedHashMap<>();
    private final Map<Route, HttpClient> byRoute = new LinkedHashMap<>();
    private final Executor executor;
    private final QueuedThreadPool ownThreadPool;
    private final Scheduler scheduler = new ScheduledExecutorScheduler("gatewise-upstream-scheduler", true);
    private final ByteBufferPool bufferPool = new ArrayByteBufferPool();
    private final SocketAddressResolver resolver;
    private final Predicate<InetAddress> prohibited;

    /** What the servlet supplies: its hooks and its environment. */
    record Environment(Supplier<ClientConnector> newConnector, Function<ClientConnector, HttpClient> newClient,
            Supplier<ContinueProtocolHandler> newContinueHandler,
            Executor serverExecutor, SocketAddressResolver resolver, List<String> prohibitedAddresses,
            DnsCache dnsCache) {
    }

    /**
     * Creates and starts a client for each distinct setting of the given routes.
     *
     * @param table the routes
     * @param environment the servlet's hooks and environment
     */
    UpstreamClients(RouteTable table, Environment environment) {
        if (environment.serverExecutor() != null) {
            executor = environment.serverExecutor();
            ownThreadPool = null;
        } else {
            ownThreadPool = new QueuedThreadPool(256);
            ownThreadPool.setName("gatewise-upstream");
            executor = ownThreadPool;
        }
        InetAddressSet prohibitedSet = new InetAddressSet();
        prohibitedSet.addAll(environment.prohibitedAddresses());
        prohibited = prohibitedSet;
        try {
            LifeCycle.start(ownThreadPool);
            LifeCycle.start(scheduler);
            resolver = environment.resolver() != null ? environment.resolver()
                    : new SocketAddressResolver.Async(executor, scheduler, 0);
            for (Route route : table.routes()) {
                HttpClient client = clients.computeIfAbsent(ClientSettings.of(route.config()),
                        settings -> start(settings, environment));
                byRoute.put(route, client);
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private HttpClient start(ClientSettings settings, Environment environment) {
        ClientConnector connector = environment.newConnector().get();
        SslContextFactory.Client tls = connector.getSslContextFactory();
        if (tls == null) {
            tls = new SslContextFactory.Client();
            connector.setSslContextFactory(tls);
        }
        settings.tls().trustStore().ifPresent(tls::setTrustStore);
        HttpClient client = environment.newClient().apply(connector);
        // Redirects and cookies belong to the client behind the gateway, never to the gateway.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setByteBufferPool(bufferPool);
        client.setSocketAddressResolver(environment.dnsCache().over(new UpstreamResolver(resolver, scheduler,
                settings.resolveTimeout(), prohibited)));
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setIdleTimeout(settings.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerUpstream());
        client.setMaxRequestsQueuedPerDestination(settings.maxQueuedPerUpstream());
        client.setMaxResponseHeadersSize(settings.parserHeaderLimit());
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the client for " + settings, e);
        }
        // Bodies pass through as they are; only 100-continue is handled by the gateway.
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(environment.newContinueHandler().get());
        return client;
    }

    /**
     * @param route a route of the table given at construction
     * @return the client for that route
     */
    HttpClient clientFor(Route route) {
        return byRoute.get(route);
    }

    /** @return the client of the first route, for Jetty code that asks for "the" client */
    HttpClient first() {
        return clients.values().iterator().next();
    }

    /** @return the scheduler the clients share */
    Scheduler scheduler() {
        return scheduler;
    }

    /** @return how many distinct clients there are */
    int size() {
        return clients.size();
    }

    /** Stops every client and the shared scheduler and pool; each is tried, failures are logged. */
    void stop() {
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
