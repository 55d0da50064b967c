package io.gatewise.proxy;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.WebAppConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The gateway's reverse proxy: routes each request by path prefix to its upstream.
 *
 * <p>Built on Jetty's {@link AsyncProxyServlet} rather than {@code ProxyServlet} or
 * {@code AsyncMiddleManServlet}: both legs use Servlet non-blocking I/O, so a slow client or a
 * slow upstream holds no thread; bodies stream through in buffer-sized pieces without being
 * collected in memory; and because the client-to-proxy body passes through one hook
 * ({@code StreamReader.onRequestContent}) on its way to the upstream, a bounded copy can be kept
 * there to replay the body on a retry. {@code ProxyServlet} blocks a thread while it reads the
 * client's body; {@code AsyncMiddleManServlet} exists to transform bodies and pays for it on
 * every byte.
 *
 * <p>The servlet is configured through Jetty's own hooks: {@link #rewriteTarget} picks the route
 * and builds the upstream URL, {@link #newProxyRequest} sends it with that route's client,
 * {@link #newClientConnector()} and {@link #newHttpClient(org.eclipse.jetty.io.ClientConnector)}
 * make each client, {@link #getViaHost()} names the gateway in {@code Via}. Jetty removes the
 * hop-by-hop headers and adds {@code Via} and {@code Forwarded}.
 *
 * <p>Deployed from {@code web.xml}, it reads its YAML config from the file named by the init
 * parameter, system property or context parameter {@code gatewise.config}, in that order (see
 * {@link WebAppConfig}).
 * Embedded, it takes a {@link GatewayConfig}.
 */
public class GatewayProxyServlet extends AsyncProxyServlet {
    private static final long serialVersionUID = 1L;
    private static final String ROUTE_ATTRIBUTE = GatewayProxyServlet.class.getName() + ".route";
    private static final String REWRITE_FAILURE_ATTRIBUTE = GatewayProxyServlet.class.getName() + ".rewriteFailure";
    private static final String WRITER_ATTRIBUTE = GatewayProxyServlet.class.getName() + ".writer";
    private static final String SERVER_EXECUTOR_ATTRIBUTE = "org.eclipse.jetty.server.Executor";

    private transient GatewayConfig config;
    private transient RouteTable routes;
    private transient UpstreamClients clients;
    private transient Executor executor;
    private transient Scheduler scheduler;
    private transient ByteBufferPool bufferPool;
    private transient QueuedThreadPool ownThreadPool;

    /** Creates a servlet that reads its config file when the container initializes it. */
    public GatewayProxyServlet() {
    }

    /**
     * Creates a servlet for a configuration built in code or loaded beforehand.
     *
     * @param config the configuration
     */
    public GatewayProxyServlet(GatewayConfig config) {
        this.config = config;
    }

    /** @return the configuration in use; null before {@link #init()} for a file-configured servlet */
    public GatewayConfig config() {
        return config;
    }

    @Override
    public void init() throws ServletException {
        if (config == null) {
            config = WebAppConfig.load(getServletConfig());
        }
        routes = RouteTable.of(config);
        super.init();
        _log.info("Gateway {} serving {} route(s) with {} upstream client(s)", config.gateway().name(),
                routes.routes().size(), clients.size());
    }

    /**
     * Creates the clients towards the upstreams, one per distinct set of client settings, sharing
     * one executor, scheduler and buffer pool.
     *
     * @return the first route's client, which Jetty's base class uses for buffer sizes and to run
     *     100-continue actions
     */
    @Override
    protected HttpClient createHttpClient() throws ServletException {
        executor = (Executor) getServletContext().getAttribute(SERVER_EXECUTOR_ATTRIBUTE);
        if (executor == null) {
            ownThreadPool = new QueuedThreadPool(256);
            ownThreadPool.setName("gatewise-proxy");
            executor = ownThreadPool;
        }
        scheduler = new ScheduledExecutorScheduler("gatewise-proxy-scheduler", false);
        bufferPool = new ArrayByteBufferPool();
        try {
            LifeCycle.start(ownThreadPool);
            LifeCycle.start(scheduler);
            clients = new UpstreamClients(routes, this::createUpstreamClient);
        } catch (RuntimeException e) {
            stopShared();
            throw new ServletException("Cannot start the upstream clients: " + e.getMessage(), e);
        }
        return clients.first();
    }

    /**
     * Creates and starts one client for the given settings, through {@link #newClientConnector()}
     * and {@link #newHttpClient(org.eclipse.jetty.io.ClientConnector)}.
     *
     * @param settings the client settings shared by one or more routes
     * @return the started client
     */
    HttpClient createUpstreamClient(ClientSettings settings) {
        HttpClient client = newHttpClient(newClientConnector());
        // Redirects and cookies belong to the client behind the gateway, never to the gateway.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setByteBufferPool(bufferPool);
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setIdleTimeout(settings.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerUpstream());
        client.setMaxResponseHeadersSize(settings.maxResponseHeaderSize());
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the client for " + settings, e);
        }
        // Bodies pass through as they are; only 100-continue is handled by the gateway.
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(new ContinueHandler());
        return client;
    }

    @Override
    public void destroy() {
        if (clients != null) {
            clients.stop();
        }
        stopShared();
    }

    private void stopShared() {
        LifeCycle.stop(scheduler);
        LifeCycle.stop(ownThreadPool);
    }

    /** @return the gateway's configured name, so {@code Via} reads {@code 1.1 edge-1} */
    @Override
    public String getViaHost() {
        return config.gateway().name();
    }

    /**
     * Picks the route for the request and builds the upstream URL.
     *
     * @return the upstream URL, or null when no route matches
     */
    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest) {
        // Match on the decoded path, forward the encoded one: both from the same normalized string.
        String normalized = URIUtil.normalizePath(rawPathWithinGateway(clientRequest));
        String decoded = normalized == null ? null : URIUtil.decodePath(normalized);
        if (decoded == null || !decoded.equals(URIUtil.normalizePath(decoded))) {
            // Dot segments that escape the root, or that were percent-encoded to slip past matching.
            clientRequest.setAttribute(REWRITE_FAILURE_ATTRIBUTE, HttpStatus.BAD_REQUEST_400);
            return null;
        }
        Route route = routes.match(decoded);
        if (route == null) {
            clientRequest.setAttribute(REWRITE_FAILURE_ATTRIBUTE, HttpStatus.INTERNAL_SERVER_ERROR_500);
            return null;
        }
        clientRequest.setAttribute(ROUTE_ATTRIBUTE, route);
        return route.target(normalized, clientRequest.getQueryString());
    }

    /**
     * Answers a request that cannot be routed: {@code 400} for a path that escapes the root or
     * hides dot segments, {@code 500} when no route matches (the gateway has nowhere to send it).
     */
    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
        try {
            if (Integer.valueOf(HttpStatus.BAD_REQUEST_400).equals(clientRequest.getAttribute(
                    REWRITE_FAILURE_ATTRIBUTE))) {
                proxyResponse.sendError(HttpStatus.BAD_REQUEST_400, "Path is not normalizable");
                return;
            }
            proxyResponse.sendError(HttpStatus.INTERNAL_SERVER_ERROR_500, "No route matches this path");
        } catch (Exception e) {
            _log.debug("Cannot answer an unrouted request", e);
        }
    }

    /** Creates the proxy-to-server request with the matched route's client and idle timeout. */
    @Override
    protected Request newProxyRequest(HttpServletRequest request, String rewrittenTarget) {
        Route route = (Route) request.getAttribute(ROUTE_ATTRIBUTE);
        return clients.clientFor(route).newRequest(rewrittenTarget)
                .method(request.getMethod())
                .attribute(CLIENT_REQUEST_ATTRIBUTE, request)
                .idleTimeout(route.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Applies the route's response timeout, which covers the whole exchange, then sends. */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Request proxyRequest) {
        Route route = (Route) clientRequest.getAttribute(ROUTE_ATTRIBUTE);
        proxyRequest.timeout(route.config().timeouts().response().toMillis(), TimeUnit.MILLISECONDS);
        super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
    }

    /**
     * Passes a piece of the server-to-proxy response body to the client and flushes it, so
     * streamed responses reach the client as the upstream produces them.
     *
     * @see FlushingResponseWriter
     */
    @Override
    protected void onResponseContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse, byte[] buffer, int offset, int length, Callback callback) {
        try {
            FlushingResponseWriter writer = (FlushingResponseWriter) clientRequest.getAttribute(WRITER_ATTRIBUTE);
            if (writer == null) {
                ServletOutputStream output = proxyResponse.getOutputStream();
                writer = new FlushingResponseWriter(output, serverResponse);
                clientRequest.setAttribute(WRITER_ATTRIBUTE, writer);
                writer.next(buffer, offset, length, callback);
                // Setting the listener makes the container call onWritePossible(), maybe on another thread.
                output.setWriteListener(writer);
            } else {
                writer.next(buffer, offset, length, callback);
                writer.onWritePossible();
            }
        } catch (Throwable x) {
            callback.failed(x);
            serverResponse.abort(x);
        }
    }

    /**
     * Drops server-to-proxy response headers that the upstream's {@code Connection} header names:
     * they are hop-by-hop (RFC 9110, section 7.6.1), like the fixed set Jetty already removes.
     */
    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
            HttpField field) {
        String connection = serverResponse.getHeaders().get(HttpHeader.CONNECTION);
        if (connection != null && listsToken(connection, field.getName())) {
            return null;
        }
        return field;
    }

    private static boolean listsToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static String rawPathWithinGateway(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String mount = request.getContextPath() + request.getServletPath();
        if (uri.startsWith(mount)) {
            String rest = uri.substring(mount.length());
            return rest.isEmpty() ? "/" : rest;
        }
        // The mount point itself was percent-encoded by the client: rebuild from the decoded path.
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? "/" : URIUtil.encodePath(pathInfo);
    }

    /** Hands a {@code 100 Continue} from the upstream to Jetty's proxy hook. */
    private final class ContinueHandler extends ContinueProtocolHandler {
        @Override
        protected Runnable onContinue(Request request) {
            HttpServletRequest clientRequest = (HttpServletRequest) request.getAttributes()
                    .get(CLIENT_REQUEST_ATTRIBUTE);
            return GatewayProxyServlet.this.onContinue(clientRequest, request);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s[%s]", getClass().getSimpleName(),
                config == null ? "unconfigured" : config.gateway().name());
    }
}
