package io.gatewise.server;

import io.gatewise.admin.AdminServlet;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.GatewayConfig;
import io.gatewise.failure.FailureListener;
import io.gatewise.metrics.JettyServerMeters;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.GatewayBuilder;
import io.gatewise.runtime.GatewayProxyServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway on Jetty 12: standalone on a server of its own, or added to an application's
 * existing server or servlet context.
 *
 * <p>Standalone:
 * <pre>{@code
 * GatewayServer gateway = GatewayServer.builder(config).build().start();
 * // ... gateway.port(), gateway.uri(); with gateway.tls, gateway.tlsPort(), gateway.tlsUri()
 * gateway.stop();
 * }</pre>
 *
 * <p>Standalone, it listens on {@code gateway.port} for HTTP/1.1 and, with {@code gateway.http2}
 * (the default), HTTP/2 with prior knowledge (h2c); with a {@code gateway.tls} section also on
 * {@code gateway.tls.port} for TLS, with h2 or HTTP/1.1 chosen by ALPN, serving certificates that
 * are read again when their files change. Both listeners serve the same routes, with the same
 * client limits, access log and graceful stop.
 *
 * <p>In an existing Jetty server, under a context path of its own:
 * <pre>{@code
 * GatewayServer.addTo(server, "/gateway", config);
 * }</pre>
 *
 * <p>In an existing servlet context, under a servlet path:
 * <pre>{@code
 * GatewayServer.install(context, "/gateway/*", config);
 * }</pre>
 *
 * <p>Route paths are matched against the request path below the gateway's mount point.
 */
public final class GatewayServer {
    /** Room for the headers the gateway adds to an upstream's response. */
    private static final int RESPONSE_HEADER_SLACK = 1024;
    private static final String TRAFFIC_CONNECTOR = "traffic";
    private static final Duration THREAD_IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final int THREADS_EVICTED_AT_ONCE = 64;
    private static final String ADMIN_CONNECTOR = "admin";
    /** How long a stop waits for a warm-up still running to end. */
    private static final Duration WARMUP_STOP = Duration.ofSeconds(10);

    private final Gateway gateway;
    private final Server server;
    private final ServerConnector connector;
    private final ServerConnector adminConnector;
    private final TlsListener tlsListener;
    private final ServletContextHandler context;
    /** The warm-up running before readiness ({@code gateway.warmup}); null when none runs. */
    private volatile Thread warmup;

    private GatewayServer(Builder builder) {
        this.gateway = builder.gateway != null ? builder.gateway : builder.gatewayBuilder.build();
        GatewayConfig config = gateway.config();
        QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads);
        threads.setName("gatewise");
        // A burst of connections grows the pool; by default it gives back one idle thread a minute, so a
        // few bursts leave it grown for an hour. Idle threads go after 10 s, up to 64 at a time.
        threads.setIdleTimeout((int) THREAD_IDLE_TIMEOUT.toMillis());
        threads.setMaxEvictCount(THREADS_EVICTED_AT_ONCE);
        this.server = new DrainingServer(threads, gateway, config.gateway().shutdownDelay(),
                config.gateway().shutdownTimeout());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // An encoded slash is data to many APIs (project paths, object keys): it reaches the upstream as
        // sent, and routing treats it as part of a segment, never as a separator.
        http.setUriCompliance(UriCompliance.DEFAULT.with("gatewise", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        // Upstream headers the routes accept must fit in the gateway's own response to the client.
        http.setResponseHeaderSize(Math.max(http.getResponseHeaderSize(), config.routes().stream()
                .mapToInt(route -> route.limits().maxResponseHeaderSize()).max().orElse(0) + RESPONSE_HEADER_SLACK));
        boolean http2 = config.gateway().http2();
        this.connector = http2
                ? new ServerConnector(server, new HttpConnectionFactory(http), new PriorKnowledgeH2c(http))
                : new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName(TRAFFIC_CONNECTOR);
        connector.setHost(builder.host);
        connector.setPort(builder.port);
        connector.setIdleTimeout(builder.clientIdleTimeout.toMillis());
        server.addConnector(connector);
        List<ServerConnector> traffic = new ArrayList<>(List.of(connector));
        if (builder.tlsPort != null && config.gateway().tls().isEmpty()) {
            throw new IllegalArgumentException("tlsPort: " + builder.tlsPort + " (expected: a config with a"
                    + " gateway.tls section, whose listener it moves)");
        }
        this.tlsListener = config.gateway().tls().map(tls -> new TlsListener(server, http, tls, builder.host,
                builder.tlsPort != null ? builder.tlsPort : tls.port(), http2, gateway.listenerCertificates()))
                .orElse(null);
        if (tlsListener != null) {
            tlsListener.connector().setIdleTimeout(builder.clientIdleTimeout.toMillis());
            traffic.add(tlsListener.connector());
        }
        ClientLimits.apply(server, traffic, config.gateway().limits(), gateway.connectionRejections(),
                () -> gateway.recorder().responses());
        JettyServerMeters.bind(gateway.metrics(), server);
        ServletContextHandler context = newContextHandler("/", gateway);
        this.context = context;
        builder.contextCustomizers.forEach(customizer -> customizer.accept(context));
        // Stopping, the gateway turns draining, the server stops accepting, and requests in flight may
        // finish up to the shutdown timeout; the gateway ends its exchanges still running, and only
        // then the connections close and the gateway's clients stop (with the context). See DrainingServer.
        this.adminConnector = config.admin().map(admin -> adminConnector(admin, http)).orElse(null);
        server.setHandler(new GracefulHandler(adminConnector == null ? context
                : new ContextHandlerCollection(trafficOnly(context, traffic), adminContext(gateway,
                        config.admin().get()))));
        server.setStopTimeout(config.gateway().shutdownTimeout().toMillis());
        server.setErrorHandler(new GatewayErrorHandler(() -> gateway.recorder().responses()));
        server.setStopAtShutdown(builder.stopAtShutdown);
        RequestLog.Writer accessLog = builder.accessLog != null ? builder.accessLog
                : AccessLog.writer(config.gateway().accessLog());
        if (accessLog != null) {
            server.setRequestLog(new CustomRequestLog(accessLog, AccessLog.FORMAT));
        }
    }

    /**
     * @param config the configuration; its {@code gateway} section gives host and port
     * @return a builder for a standalone gateway server
     */
    public static Builder builder(GatewayConfig config) {
        return new Builder(null, Gateway.builder(config), config);
    }

    /**
     * @param gateway the gateway to serve, not started: the server starts and stops it; its
     *     config's {@code gateway} section gives host and port
     * @return a builder for a standalone gateway server
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(gateway, null, gateway.config());
    }

    /**
     * Makes a servlet context that holds the gateway at {@code /*}, to add to a server's handlers.
     *
     * @param contextPath the context path, such as {@code /} or {@code /gateway}
     * @param config the configuration
     * @return the context handler
     */
    public static ServletContextHandler newContextHandler(String contextPath, GatewayConfig config) {
        return newContextHandler(contextPath, Gateway.builder(config).build());
    }

    /**
     * Makes a servlet context that serves a gateway at {@code /*}, to add to a server's handlers.
     *
     * @param contextPath the context path, such as {@code /} or {@code /gateway}
     * @param gateway the gateway, not started: the context starts and stops it
     * @return the context handler
     */
    public static ServletContextHandler newContextHandler(String contextPath, Gateway gateway) {
        return GatewayContexts.newContext(contextPath, gateway);
    }

    /**
     * Adds the gateway to an existing servlet context, and Jetty's Jakarta WebSocket container to
     * it for the gateway's WebSocket upgrades (when {@code jetty-ee10-websocket-jakarta-server} is on
     * the class path).
     *
     * @param context the application's context
     * @param pathSpec the servlet mapping, such as {@code /gateway/*} or {@code /*}
     * @param config the configuration
     * @return the servlet holder, to adjust further if needed
     */
    public static ServletHolder install(ServletContextHandler context, String pathSpec, GatewayConfig config) {
        ServletHolder holder = GatewayContexts.proxyHolder(new GatewayProxyServlet(config));
        context.addServlet(holder, pathSpec);
        JakartaWebSockets.enable(context);
        return holder;
    }

    /**
     * Adds the gateway to an existing Jetty server under its own context path. The server may
     * already have handlers: the gateway's context goes first and answers only below its path.
     * A server that is already running must have a handler collection (such as a
     * {@code ContextHandlerCollection}) to add to.
     *
     * @param server the application's server
     * @param contextPath the gateway's context path, such as {@code /gateway}
     * @param config the configuration
     * @return the gateway's context handler
     * @throws IllegalStateException if the server is running without a handler collection
     */
    public static ServletContextHandler addTo(Server server, String contextPath, GatewayConfig config) {
        ServletContextHandler context = newContextHandler(contextPath, config);
        GatewayContexts.addFirst(server, context);
        return context;
    }

    /**
     * Starts the server; returns once it listens. With {@code gateway.warmup}, the gateway serves
     * from then on but stays {@link io.gatewise.runtime.GatewayState#WARMING} (its {@code /readyz}
     * answers 503) while a warm-up runs in the background for that long; then it turns ready.
     *
     * @return this server
     * @throws Exception if the port cannot be bound or the gateway cannot start
     */
    public GatewayServer start() throws Exception {
        Duration warmupFor = gateway.config().gateway().warmup();
        if (warmupFor.isZero()) {
            server.start();
            return this;
        }
        gateway.warmUpBeforeReady();
        server.start();
        Thread thread = new Thread(() -> {
            GatewayWarmup.run(gateway.config(), warmupFor);
            gateway.warmedUp();
        }, "gatewise-warmup");
        thread.setDaemon(true);
        warmup = thread;
        thread.start();
        return this;
    }

    /**
     * Stops the server gracefully: the gateway turns {@link io.gatewise.runtime.GatewayState#DRAINING}
     * (its state listeners are told while the server still accepts), the server stops accepting
     * connections, lets requests in flight finish for up to {@code gateway.shutdownTimeout}, and the
     * gateway ends its exchanges still running with its own answer (see {@link Gateway#drain});
     * then the connections close and the gateway stops. A JVM shutdown hook
     * ({@link Builder#stopAtShutdown}) stops it the same way.
     */
    public void stop() throws Exception {
        Thread running = warmup;
        if (running != null) {
            running.interrupt();
            running.join(WARMUP_STOP.toMillis());
            warmup = null;
        }
        server.stop();
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** @return the port the server listens on, once started */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * @return the TLS listener's port, once started; empty without a {@code gateway.tls} section
     */
    public OptionalInt tlsPort() {
        return tlsListener == null ? OptionalInt.empty() : OptionalInt.of(tlsListener.connector().getLocalPort());
    }

    /**
     * @return the base URI of the TLS listener, such as {@code https://127.0.0.1:8443/}, once
     *     started; empty without a {@code gateway.tls} section
     */
    public Optional<URI> tlsUri() {
        return tlsListener == null ? Optional.empty() : Optional.of(uri("https", tlsListener.connector()));
    }

    /** @return the admin listener's port, once started; empty without an {@code admin} section */
    public OptionalInt adminPort() {
        return adminConnector == null ? OptionalInt.empty() : OptionalInt.of(adminConnector.getLocalPort());
    }

    /** The admin listener: a connector of its own, so traffic and probes never share a port. */
    private ServerConnector adminConnector(AdminConfig admin, HttpConfiguration http) {
        ServerConnector admins = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        admins.setName(ADMIN_CONNECTOR);
        admins.setHost(admin.host());
        admins.setPort(admin.port());
        server.addConnector(admins);
        return admins;
    }

    private static ServletContextHandler trafficOnly(ServletContextHandler context, List<ServerConnector> traffic) {
        context.setVirtualHosts(traffic.stream().map(listener -> "@" + listener.getName()).toList());
        return context;
    }

    private static ServletContextHandler adminContext(Gateway gateway, AdminConfig admin) {
        ServletContextHandler context = new ServletContextHandler("/");
        context.setVirtualHosts(List.of("@" + ADMIN_CONNECTOR));
        context.addServlet(new ServletHolder(new AdminServlet(gateway, admin)), "/*");
        return context;
    }

    /** @return the base URI clients use, such as {@code http://127.0.0.1:8080/} */
    public URI uri() {
        return uri("http", connector);
    }

    private static URI uri(String scheme, ServerConnector listener) {
        String host = listener.getHost() == null ? "127.0.0.1" : listener.getHost();
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + listener.getLocalPort() + "/");
    }

    /** @return the gateway it serves: its routes and what their upstreams are doing */
    public Gateway gateway() {
        return gateway;
    }

    /** @return the configuration the gateway runs with */
    public GatewayConfig config() {
        return gateway.config();
    }

    /** @return the underlying Jetty server, for settings this class does not cover */
    public Server jettyServer() {
        return server;
    }

    /** Builds a {@link GatewayServer}; host and port default to the config's. */
    public static final class Builder {
        private final Gateway gateway;
        private final GatewayBuilder gatewayBuilder;
        private String host;
        private int port;
        private Integer tlsPort;
        private int maxThreads = 200;
        private boolean stopAtShutdown;
        private final List<Consumer<ServletContextHandler>> contextCustomizers = new ArrayList<>();
        private RequestLog.Writer accessLog;
        private Duration clientIdleTimeout = Duration.ofSeconds(30);

        private Builder(Gateway gateway, GatewayBuilder gatewayBuilder, GatewayConfig config) {
            this.gateway = gateway;
            this.gatewayBuilder = gatewayBuilder;
            this.host = config.gateway().host();
            this.port = config.gateway().port();
        }

        private GatewayBuilder gatewayBuilder(String setting) {
            if (gatewayBuilder == null) {
                throw new IllegalStateException(setting + ": set it on the Gateway's builder, not the server's");
            }
            return gatewayBuilder;
        }

        /**
         * @param host the bind address, null for all interfaces
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port the port, 0 for a free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
            }
            this.port = port;
            return this;
        }

        /**
         * @param port the TLS listener's port instead of {@code gateway.tls.port}, 0 for a free one;
         *     the config must have a {@code gateway.tls} section
         * @return this builder
         */
        public Builder tlsPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("tlsPort: " + port + " (expected: 0 to 65535)");
            }
            this.tlsPort = port;
            return this;
        }

        /**
         * @param maxThreads the most threads of the server's pool, shared with the proxy
         * @return this builder
         */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 8) {
                throw new IllegalArgumentException("maxThreads: " + maxThreads + " (expected: >= 8)");
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * @param stopAtShutdown whether a JVM shutdown hook stops the server
         * @return this builder
         */
        public Builder stopAtShutdown(boolean stopAtShutdown) {
            this.stopAtShutdown = stopAtShutdown;
            return this;
        }

        /**
         * @param resolver resolves upstream names instead of the JDK's resolver: for service
         *     discovery, or to stage DNS failures in tests
         * @return this builder
         */
        public Builder resolver(SocketAddressResolver resolver) {
            gatewayBuilder("resolver").resolver(resolver);
            return this;
        }

        /**
         * @param source where the configuration was read from, so the gateway can reload it
         *     (see {@link GatewayBuilder#configSource})
         * @return this builder
         */
        public Builder configSource(ConfigSource source) {
            gatewayBuilder("configSource").configSource(source);
            return this;
        }

        /**
         * @param registry the application's registry, which gets the gateway's meters and the
         *     server's; null (the default) for a Prometheus registry of the gateway's own
         * @return this builder
         * @see GatewayBuilder#meterRegistry
         */
        public Builder meterRegistry(MeterRegistry registry) {
            gatewayBuilder("meterRegistry").meterRegistry(registry);
            return this;
        }

        /**
         * @param openTelemetry the application's own OpenTelemetry, which the gateway's spans go
         *     through; null (the default) for an SDK of the gateway's own, as {@code tracing} sets it
         * @return this builder
         * @see GatewayBuilder#openTelemetry
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            gatewayBuilder("openTelemetry").openTelemetry(openTelemetry);
            return this;
        }

        /**
         * @param listener told about every upstream failure, after the failure log
         * @return this builder
         */
        public Builder listener(FailureListener listener) {
            gatewayBuilder("listener").listener(listener);
            return this;
        }

        /**
         * @param customizer adjusts the gateway's servlet context before start: error pages, more
         *     servlets or filters
         * @return this builder
         */
        public Builder customizeContext(Consumer<ServletContextHandler> customizer) {
            contextCustomizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /**
         * @param writer where access log lines go, in {@link AccessLog#FORMAT}; overrides the
         *     config's {@code gateway.accessLog}
         * @return this builder
         */
        public Builder accessLog(RequestLog.Writer writer) {
            this.accessLog = writer;
            return this;
        }

        /**
         * @param timeout how long a client connection may stay silent, also mid-request: a client
         *     that stops sending its body this long gets {@code 408} (default 30s)
         * @return this builder
         */
        public Builder clientIdleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("clientIdleTimeout: " + timeout + " (expected: > 0)");
            }
            this.clientIdleTimeout = timeout;
            return this;
        }

        /**
         * @param clock times upstream ejections; a controllable clock in tests
         * @return this builder
         */
        public Builder clock(Clock clock) {
            gatewayBuilder("clock").clock(clock);
            return this;
        }

        /** @return the server, not started */
        public GatewayServer build() {
            return new GatewayServer(this);
        }
    }
}
