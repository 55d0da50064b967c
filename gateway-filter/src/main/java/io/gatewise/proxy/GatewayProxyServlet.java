package io.gatewise.proxy;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.Retries;
import io.gatewise.config.WebAppConfig;
import io.gatewise.errorpage.ErrorPages;
import io.gatewise.failure.Classification;
import io.gatewise.failure.ClientAbortException;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.OperatorDetail;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.filter.FailureAttributes;
import io.gatewise.filter.FailureCauseFilter;
import io.gatewise.filter.FailureRecorder;
import io.gatewise.filter.FailureResponses;
import io.gatewise.upstream.Endpoint;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.URIUtil;

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
 * <p>Every exchange is followed through its phases ({@link ExchangeTracker}). When one fails,
 * {@link #onProxyResponseFailure} classifies why ({@link FailureClassifier}), records it into the
 * request's attributes and to the failure listeners ({@link FailureRecorder}), and answers with the
 * RFC 9209 status and {@code Proxy-Status}. A failure on the client's side (it went away, or was
 * too slow to send) is never blamed on the upstream.
 *
 * <p>Deployed from {@code web.xml}, it reads its YAML config from the file named by the init
 * parameter, system property or context parameter {@code gatewise.config}, in that order (see
 * {@link WebAppConfig}).
 * Embedded, it takes a {@link GatewayConfig}.
 */
public class GatewayProxyServlet extends AsyncProxyServlet {
    private static final long serialVersionUID = 1L;
    private static final String EXCHANGE_ATTRIBUTE = GatewayProxyServlet.class.getName() + ".exchange";
    private static final String SERVER_EXECUTOR_ATTRIBUTE = "org.eclipse.jetty.server.Executor";

    private final transient FailureClassifier classifier = new FailureClassifier();
    private final transient SocketAddressResolver resolver;
    private final transient Clock clock;
    private transient GatewayConfig config;
    private transient RouteTable routes;
    private transient UpstreamClients clients;
    private transient FailureRecorder recorder;
    private transient ErrorPages errorPages;
    private transient ActiveHealthChecks healthChecks;
    private transient DnsCache dnsCache;

    /** Creates a servlet that reads its config file when the container initializes it. */
    public GatewayProxyServlet() {
        this(null, null);
    }

    /**
     * Creates a servlet for a configuration built in code or loaded beforehand.
     *
     * @param config the configuration
     */
    public GatewayProxyServlet(GatewayConfig config) {
        this(config, null);
    }

    /**
     * Creates a servlet that resolves upstream names with the given resolver instead of the JDK's:
     * for service discovery, or to stage DNS failures in tests.
     *
     * @param config the configuration
     * @param resolver the resolver; null for the JDK's
     */
    public GatewayProxyServlet(GatewayConfig config, SocketAddressResolver resolver) {
        this(config, resolver, Clock.systemUTC());
    }

    /**
     * @param config the configuration
     * @param resolver the resolver; null for the JDK's
     * @param clock times upstream ejections, retry budgets and DNS answers (a controllable clock in tests)
     */
    public GatewayProxyServlet(GatewayConfig config, SocketAddressResolver resolver, Clock clock) {
        this.config = config;
        this.resolver = resolver;
        this.clock = clock;
    }

    /** @return the routes with their upstream pools, once initialized: what each upstream is doing */
    public RouteTable routes() {
        return routes;
    }

    /** @return the cache of upstream addresses, once initialized: to flush it at run time */
    public DnsCache dnsCache() {
        return dnsCache;
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
        routes = RouteTable.of(config, clock);
        dnsCache = new DnsCache(config.gateway().dnsCache(), clock);
        recorder = FailureRecorder.of(getServletContext());
        try {
            errorPages = ErrorPages.install(getServletContext(), config);
        } catch (IllegalStateException e) {
            throw new UnavailableException("Error page templates rejected: " + e.getMessage());
        }
        getServletContext().setAttribute(FailureCauseFilter.NAME_ATTRIBUTE, config.gateway().name());
        super.init();
        healthChecks = new ActiveHealthChecks(routes, clients);
        healthChecks.start(clients.scheduler());
        _log.info("Gateway {} serving {} route(s) with {} upstream client(s)", config.gateway().name(),
                routes.routes().size(), clients.size());
    }

    /**
     * Creates the clients towards the upstreams, one per distinct set of client settings.
     *
     * @return the first route's client, which Jetty's base class uses for buffer sizes and to run
     *     100-continue actions
     */
    @Override
    protected HttpClient createHttpClient() throws ServletException {
        try {
            clients = new UpstreamClients(routes, new UpstreamClients.Environment(
                    this::newClientConnector, this::newHttpClient, ContinueHandler::new,
                    (Executor) getServletContext().getAttribute(SERVER_EXECUTOR_ATTRIBUTE), resolver,
                    config.gateway().prohibitedAddresses(), dnsCache));
        } catch (RuntimeException e) {
            throw new ServletException("Cannot start the upstream clients: " + e.getMessage(), e);
        }
        return clients.first();
    }

    /**
     * Probes every upstream of every route with a health check once, now, besides the schedule.
     *
     * @return completes when every probe has finished and the states are updated
     */
    public CompletableFuture<Void> checkHealthNow() {
        return healthChecks.checkNow();
    }

    @Override
    public void destroy() {
        if (healthChecks != null) {
            healthChecks.stop();
        }
        if (clients != null) {
            clients.stop();
        }
    }

    /** @return the gateway's configured name, so {@code Via} reads {@code 1.1 edge-1} */
    @Override
    public String getViaHost() {
        return config.gateway().name();
    }

    /**
     * Picks the route for the request and builds the upstream URL.
     *
     * @return the upstream URL, or null when the request cannot be routed (the {@link Rejection}
     *     says why)
     */
    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest) {
        // Match on the decoded path, forward the encoded one: both from the same normalized string.
        String normalized = URIUtil.normalizePath(rawPathWithinGateway(clientRequest));
        String decoded = normalized == null ? null : URIUtil.decodePath(normalized);
        if (decoded == null || !decoded.equals(URIUtil.normalizePath(decoded))) {
            // Dot segments that escape the root, or that were percent-encoded to slip past matching.
            return reject(clientRequest, Rejection.of(Rejection.Kind.BAD_PATH));
        }
        if (LoopDetector.hasPassed(clientRequest, config.gateway().name())) {
            return reject(clientRequest, Rejection.of(Rejection.Kind.LOOP));
        }
        Route route = routes.match(decoded);
        if (route == null) {
            return reject(clientRequest, Rejection.of(Rejection.Kind.NO_ROUTE));
        }
        if (route.inMaintenance()) {
            return reject(clientRequest, new Rejection(Rejection.Kind.MAINTENANCE, route));
        }
        Endpoint endpoint = route.pool().pick(Set.of());
        if (endpoint == null) {
            return reject(clientRequest, new Rejection(Rejection.Kind.NO_UPSTREAM, route));
        }
        Exchange exchange = new Exchange(route, normalized, clientRequest.getQueryString());
        route.retryBudget().onRequest();
        clientRequest.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
        return exchange.begin(endpoint);
    }

    private static String reject(HttpServletRequest clientRequest, Rejection rejection) {
        clientRequest.setAttribute(Rejection.ATTRIBUTE, rejection);
        return null;
    }

    /**
     * Answers a request that cannot be routed: {@code 400} for a path that escapes the root or
     * hides dot segments (the client's error, recorded nowhere); otherwise records and answers the
     * {@link Rejection}'s failure: {@code proxy_loop_detected}, {@code destination_not_found}, or
     * {@code destination_unavailable} for a route in maintenance or with every upstream out, with
     * {@code Retry-After} until the first one returns.
     */
    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
        Rejection rejection = (Rejection) clientRequest.getAttribute(Rejection.ATTRIBUTE);
        try {
            if (rejection.clientError()) {
                proxyResponse.sendError(HttpStatus.BAD_REQUEST_400, "Path is not normalizable");
                return;
            }
            UpstreamFailure failure = rejection.failure(config.gateway());
            recorder.record(clientRequest, failure);
            answer(clientRequest, proxyResponse, failure,
                    rejection.retryAfterSeconds(clock, errorPages.renderer().retryAfterSeconds()));
        } catch (Exception e) {
            _log.debug("Cannot answer an unrouted request", e);
        }
    }

    /** Creates the proxy-to-server request with the route's client, idle timeout and tracker. */
    @Override
    protected Request newProxyRequest(HttpServletRequest request, String rewrittenTarget) {
        Exchange exchange = (Exchange) request.getAttribute(EXCHANGE_ATTRIBUTE);
        Route route = exchange.route();
        Request proxyRequest = clients.clientFor(route).newRequest(rewrittenTarget)
                .method(request.getMethod())
                .attribute(CLIENT_REQUEST_ATTRIBUTE, request)
                .idleTimeout(route.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS)
                .listener(exchange.tracker())
                .onResponseBegin(exchange.tracker())
                .onResponseHeader(exchange.tracker())
                .onResponseHeaders(exchange.tracker());
        if (route.config().limits().maxResponseBodySize() >= 0) {
            // A second content listener makes Jetty split every chunk between listeners: only with a limit to enforce.
            proxyRequest.onResponseContent(exchange.tracker());
        }
        return proxyRequest;
    }

    /**
     * Keeps a request body of known length up to the route's {@code retries.replayBodySize} to send
     * it again on a retry: it is read whole before the first attempt. A larger body, one of unknown
     * length, or one whose client awaits {@code 100 Continue} (it asked for the upstream's verdict
     * before sending the body) streams through as Jetty's base class reads it.
     */
    @Override
    protected Request.Content proxyRequestContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Request proxyRequest) throws IOException {
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        Retries retries = exchange.route().config().retries();
        long length = clientRequest.getContentLengthLong();
        if (retries.maxAttempts() < 2 || length < 0 || length > retries.replayBodySize()
                || expects100Continue(clientRequest)) {
            return super.proxyRequestContent(clientRequest, proxyResponse, proxyRequest);
        }
        ReplayableBody body = ReplayableBody.read(clientRequest, (int) length);
        exchange.keep(body);
        // Not sent: sendProxyRequest waits for the whole body and gives each attempt its own content.
        return body.content();
    }

    /**
     * Sends an attempt once its request body, if kept, has been read; applies the route's response
     * timeout, which covers the whole exchange. A client that fails to send a kept body gets its
     * answer ({@code 408} or {@code 400}) and no upstream sees the request.
     */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Request proxyRequest) {
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        ReplayableBody body = exchange.body();
        if (body == null) {
            send(clientRequest, proxyResponse, proxyRequest, exchange);
            return;
        }
        body.whenRead().whenComplete((read, failure) -> {
            if (failure != null) {
                onKeptBodyFailure(clientRequest, proxyResponse, exchange, failure);
                return;
            }
            try {
                send(clientRequest, proxyResponse, proxyRequest.body(body.content()), exchange);
            } catch (RuntimeException e) {
                // Not lost in the future: answered like any failed attempt.
                onProxyResponseFailure(clientRequest, proxyResponse, null, e);
            }
        });
    }

    private void send(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
            Exchange exchange) {
        proxyRequest.timeout(exchange.route().config().timeouts().response().toMillis(), TimeUnit.MILLISECONDS);
        exchange.endpoint().started();
        super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
    }

    /** The client stalled or left while sending a body the gateway keeps: its fault, no attempt was made. */
    private void onKeptBodyFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Exchange exchange, Throwable failure) {
        exchange.endpoint().unused();
        try {
            onClientGone(clientRequest, proxyResponse, exchange, failure);
        } catch (IOException | RuntimeException e) {
            _log.debug("Cannot answer a client that failed to send its body", e);
        } finally {
            clientRequest.getAsyncContext().complete();
        }
    }

    /**
     * Copies the upstream's response headers; on an upstream error status (5xx) adds this
     * gateway's {@code Proxy-Status} member with {@code received-status}, after any the upstream
     * sent. A status the route intercepts is not copied: the gateway answers with its own page.
     */
    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse) {
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        Route route = exchange.route();
        int status = serverResponse.getStatus();
        if (status >= HttpStatus.INTERNAL_SERVER_ERROR_500 && retriesOnStatus(clientRequest, exchange, status)) {
            // Nothing of this answer reaches the client; onProxyResponseFailure sends the next attempt.
            serverResponse.abort(new StatusRetry(status));
            return;
        }
        boolean intercept = route.config().interceptStatuses().contains(status);
        String received = status >= HttpStatus.INTERNAL_SERVER_ERROR_500 || intercept
                ? ProxyStatus.append(serverResponse.getHeaders().get(ProxyStatus.HEADER),
                        ProxyStatus.received(config.gateway().name(), exchange.endpoint().nextHop(), status))
                : null;
        if (intercept) {
            exchange.intercept(status);
            // For the error page, which tells the upstream's answer from the gateway's own failures.
            clientRequest.setAttribute(FailureAttributes.UPSTREAM_STATUS, status);
            clientRequest.setAttribute(FailureAttributes.ROUTE, route.config().path());
            proxyResponse.setHeader(ProxyStatus.HEADER, received);
            proxyResponse.setHeader("Cache-Control", "no-store");
            String retryAfter = serverResponse.getHeaders().get(HttpHeader.RETRY_AFTER);
            if (retryAfter != null) {
                proxyResponse.setHeader(HttpHeader.RETRY_AFTER.asString(), retryAfter);
            }
            return;
        }
        super.onServerResponseHeaders(clientRequest, proxyResponse, serverResponse);
        if (received != null) {
            proxyResponse.setHeader(ProxyStatus.HEADER, received);
        }
    }

    /**
     * @return whether the route tries the request elsewhere on this upstream status: the status is
     *     one of {@code retries.onStatuses}, the request is idempotent with its body kept, and an
     *     attempt, an untried upstream and retry budget are left. The next endpoint is then chosen.
     */
    private boolean retriesOnStatus(HttpServletRequest clientRequest, Exchange exchange, int status) {
        RetryPolicy.Decision decision = RetryPolicy.decideOnStatus(exchange.route().config().retries(), status,
                clientRequest.getMethod(), bodyStreamed(clientRequest, exchange), exchange.attempts().size() + 1);
        Endpoint next = decision.retry() ? exchange.nextAttempt() : null;
        if (next == null) {
            return false;
        }
        exchange.answered(status);
        exchange.retryOn(next);
        return true;
    }

    private boolean bodyStreamed(HttpServletRequest clientRequest, Exchange exchange) {
        return exchange.body() == null && hasContent(clientRequest);
    }

    /** Answers an intercepted upstream error with the gateway's own page, once the upstream is done. */
    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse) {
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        exchange.endpoint().finished(false);
        if (exchange.interceptedStatus() != 0) {
            try {
                proxyResponse.sendError(exchange.interceptedStatus());
            } catch (IOException e) {
                _log.debug("Cannot answer an intercepted upstream error", e);
            }
        }
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    /**
     * Classifies and records a failed exchange, then answers the client: the RFC 9209 status and
     * {@code Proxy-Status}, or an aborted connection if the response was already under way. A
     * failure that came from the client's side is not recorded as the upstream's.
     */
    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse, Throwable failure) {
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        boolean retried = false;
        try {
            Endpoint pending = exchange.takePendingRetry();
            if (pending != null && failure instanceof StatusRetry) {
                _log.debug("Retrying {} on {} after status {}", clientRequest.getRequestURI(), pending,
                        ((StatusRetry) failure).status);
                exchange.endpoint().finished(true);
                retried = true;
                retry(clientRequest, proxyResponse, exchange, pending);
                return;
            }
            if (pending != null) {
                // The aborted answer failed otherwise first: the chosen endpoint gets no attempt.
                pending.unused();
            }
            if (classifier.isClientFault(failure)) {
                exchange.endpoint().abandoned();
                onClientGone(clientRequest, proxyResponse, exchange, failure);
                return;
            }
            exchange.endpoint().finished(true);
            Classification classification = classifier.classify(failure, exchange.tracker().state());
            exchange.failed(classification);
            RetryPolicy.Decision decision = RetryPolicy.decide(exchange.route().config().retries(), classification,
                    exchange.tracker().headWriteStarted(), clientRequest.getMethod(),
                    bodyStreamed(clientRequest, exchange), exchange.attempts().size(),
                    responseStarted(exchange, proxyResponse));
            if (!decision.retry()) {
                _log.debug("Not retrying {}: {}", clientRequest.getRequestURI(), decision.reason());
            }
            Endpoint next = decision.retry() ? exchange.nextAttempt() : null;
            if (next != null) {
                _log.debug("Retrying {} on {} after {}", clientRequest.getRequestURI(), next, classification.type());
                retried = true;
                retry(clientRequest, proxyResponse, exchange, next);
                return;
            }
            UpstreamFailure.Builder recorded = UpstreamFailure.builder(classification)
                    .route(exchange.route().config().path())
                    .upstream(exchange.endpoint().nextHop())
                    .receivedStatus(exchange.tracker().receivedStatus())
                    .elapsed(exchange.elapsed())
                    .incident(IncidentIds.next())
                    .detail(OperatorDetail.of(failure))
                    .responseCommitted(responseStarted(exchange, proxyResponse));
            exchange.attempts().forEach(recorded::attempt);
            UpstreamFailure built = recorded.build();
            recorder.record(clientRequest, built);
            answer(clientRequest, proxyResponse, built, errorPages.renderer().retryAfterSeconds());
        } catch (Exception e) {
            _log.debug("Cannot answer a failed exchange", e);
        } finally {
            if (!retried && clientRequest.isAsyncStarted()) {
                clientRequest.getAsyncContext().complete();
            }
        }
    }

    /** Sends the request again, with its kept body if any, to another upstream, as a new attempt of the same exchange. */
    private void retry(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange,
            Endpoint next) {
        // Headers the failed attempt's response may have set are not the next attempt's.
        proxyResponse.reset();
        Request proxyRequest = newProxyRequest(clientRequest, exchange.begin(next));
        copyRequestHeaders(clientRequest, proxyRequest);
        addProxyHeaders(clientRequest, proxyRequest);
        sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
    }

    private void answer(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, UpstreamFailure failure,
            long retryAfterSeconds) throws IOException {
        FailureResponses.send(proxyResponse, config.gateway().name(), failure,
                errorPages.access().isOperator(clientRequest), retryAfterSeconds);
    }

    /**
     * @return whether the upstream's body has begun to be written to the client: sent, or held in
     *     the container's buffer with the stream in non-blocking mode. Either way the response can
     *     no longer be replaced by an error page or another attempt's.
     */
    private static boolean responseStarted(Exchange exchange, HttpServletResponse proxyResponse) {
        return proxyResponse.isCommitted() || exchange.writer() != null;
    }

    private void onClientGone(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange,
            Throwable failure) throws IOException {
        _log.debug("Client side of {} failed; upstream not blamed", clientRequest.getRequestURI(), failure);
        if (responseStarted(exchange, proxyResponse)) {
            proxyResponse.sendError(-1);
        } else {
            proxyResponse.reset();
            proxyResponse.sendError(clientRequestStatus(failure));
        }
    }

    /**
     * @return {@code 408} when the client was too slow to send its request, else {@code 400}: a
     *     client-side failure is never a 5xx
     */
    @Override
    protected int clientRequestStatus(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return HttpStatus.REQUEST_TIMEOUT_408;
            }
        }
        return HttpStatus.BAD_REQUEST_400;
    }

    /**
     * Marks a failure to read the client's body as the client's, then lets Jetty abort the
     * upstream exchange with it.
     */
    @Override
    protected void onClientRequestFailure(HttpServletRequest clientRequest, Request proxyRequest,
            HttpServletResponse proxyResponse, Throwable failure) {
        super.onClientRequestFailure(clientRequest, proxyRequest, proxyResponse,
                failure instanceof ClientAbortException ? failure : new ClientAbortException(failure));
    }

    /**
     * Reads the client's body into the upstream request, and reports a failure to read it (the
     * client stalled past the idle timeout, or went away) as the client's, through
     * {@link #onClientRequestFailure}. Jetty's reader would fail the upstream request directly,
     * and the upstream would be blamed for the client.
     */
    @Override
    protected ReadListener newReadListener(HttpServletRequest request, HttpServletResponse response,
            Request proxyRequest, AsyncRequestContent content) {
        return new StreamReader(request, response, proxyRequest, content) {
            @Override
            public void onError(Throwable failure) {
                onClientRequestFailure(request, proxyRequest, response, failure);
            }
        };
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
        Exchange exchange = (Exchange) clientRequest.getAttribute(EXCHANGE_ATTRIBUTE);
        if (exchange.interceptedStatus() != 0) {
            // An intercepted upstream error: its body is read and dropped; the gateway's page replaces it.
            callback.succeeded();
            return;
        }
        try {
            FlushingResponseWriter writer = exchange.writer();
            if (writer == null) {
                ServletOutputStream output = proxyResponse.getOutputStream();
                writer = new FlushingResponseWriter(output, serverResponse);
                exchange.writeWith(writer);
                writer.next(buffer, offset, length, callback);
                // Setting the listener makes the container call onWritePossible(), maybe on another thread.
                output.setWriteListener(writer);
            } else {
                writer.next(buffer, offset, length, callback);
                writer.onWritePossible();
            }
        } catch (Throwable x) {
            // A write that fails at once means the client is gone: its fault, not the upstream's.
            Throwable failure = x instanceof IOException && !(x instanceof ClientAbortException)
                    ? new ClientAbortException(x) : x;
            callback.failed(failure);
            serverResponse.abort(failure);
        }
    }

    /**
     * Drops server-to-proxy response headers that the upstream's {@code Connection} header names:
     * they are hop-by-hop (RFC 9110, section 7.6.1), like the fixed set Jetty already removes.
     */
    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
            HttpField field) {
        // HttpFields.contains matches a comma-separated token, ignoring case, without allocating.
        return serverResponse.getHeaders().contains(HttpHeader.CONNECTION, field.getName()) ? null : field;
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

    /** Aborts an upstream answer whose status the route tries elsewhere; never reaches a client. */
    private static final class StatusRetry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StatusRetry(int status) {
            super("upstream answered " + status + "; trying another upstream", null, false, false);
            this.status = status;
        }
    }

}
