package io.gatewise.proxy;

import io.gatewise.answer.GrpcAnswers;
import io.gatewise.client.ExchangeTracker;
import io.gatewise.client.UpstreamClients;
import io.gatewise.client.UpstreamTransport;
import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.failure.ClientAbortException;
import io.gatewise.failure.InvalidResponseException;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.ResponseLimitException;
import io.gatewise.upstream.Lease;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's reverse proxy, kept to Jetty's hooks: each a few lines that hand the work to
 * {@link Routing}, {@link Failover}, the request's {@link Exchange} and its
 * {@link UpstreamAttempt}, and {@link ProxyAnswers}. It reaches the running gateway only through
 * {@link ProxyRuntime}; the servlet a web application deploys ({@code GatewayProxyServlet}) adds
 * the gateway's life: building, starting and stopping it.
 *
 * <p>Built on Jetty's {@link AsyncProxyServlet} rather than {@code ProxyServlet} or
 * {@code AsyncMiddleManServlet}: both legs use Servlet non-blocking I/O, so a slow client or a
 * slow upstream holds no thread; bodies stream through in buffer-sized pieces without being
 * collected in memory; and because the client-to-proxy body passes through one hook on its way to
 * the upstream, a bounded copy can be kept to replay the body on a retry.
 *
 * <p>When an attempt fails, {@link Failover} classifies why, ends its lease and decides: another
 * upstream, an answer with the failure (recorded into the request's attributes, then answered by
 * the one {@code FailureResponses}), or nothing to blame on the upstream because the client's side
 * failed. However the request ends, {@link ExchangeEnd} writes its one record.
 */
public abstract class RoutingProxyServlet extends AsyncProxyServlet {
    private static final long serialVersionUID = 1L;

    /** @return the running gateway, as the request path sees it */
    protected abstract ProxyRuntime runtime();

    /**
     * @param executor the container's executor, which the upstream clients share; null for their own
     * @return how the gateway makes each upstream client: with this servlet's connector, client and
     *     {@code 100 Continue} handler
     */
    protected UpstreamClients.Hooks clientHooks(Executor executor) {
        return new UpstreamClients.Hooks(this::newClientConnector, this::newHttpClient, ContinueHandler::new, executor);
    }

    /** @return a client speaking HTTP/1.1 and HTTP/2 to upstreams, as each route's {@code protocol} asks */
    @Override
    protected HttpClient newHttpClient(ClientConnector connector) {
        return UpstreamTransport.newClient(connector);
    }

    /** @return the gateway's configured name, so {@code Via} reads {@code 1.1 edge-1} */
    @Override
    public String getViaHost() {
        return runtime().snapshot().config().gateway().name();
    }

    /**
     * Removes the operator token and the client's {@code Expect} (the gateway meets it itself: see
     * {@link #expects100Continue}), sets the forwarding headers from what the gateway saw (see
     * {@link ForwardingHeaders}), then adds {@code Via} and the gateway's {@code Forwarded} element.
     */
    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        Exchange exchange = exchange(clientRequest);
        ForwardingHeaders forwarding = exchange.snapshot().forwarding();
        proxyRequest.headers(headers -> {
            // The client's expectation was the gateway's to meet (expects100Continue); no upstream waits on it.
            headers.remove(HttpHeader.EXPECT);
            forwarding.apply(clientRequest, headers);
            exchange.propagate(headers);
        });
        StreamSemantics.passTrailersAccepted(clientRequest, proxyRequest);
        // Via, and the gateway's Forwarded element after those a trusted proxy sent.
        super.addProxyHeaders(clientRequest, proxyRequest);
    }

    /**
     * Appends the gateway's element to {@code Forwarded}, after those a trusted proxy sent; its
     * {@code host} is the {@code :authority} over HTTP/2, which has no {@code Host} field.
     */
    @Override
    protected void addForwardedHeader(HttpServletRequest clientRequest, Request proxyRequest) {
        String element = ForwardingHeaders.forwardedElement(clientRequest);
        proxyRequest.headers(headers -> {
            List<String> sent = headers.getValuesList(HttpHeader.FORWARDED);
            headers.put(HttpHeader.FORWARDED, sent.isEmpty() ? element : String.join(", ", sent) + ", " + element);
        });
    }

    /** @return whether the request has a body: also one of unknown length over HTTP/2, as every gRPC call has */
    @Override
    protected boolean hasContent(HttpServletRequest clientRequest) {
        return super.hasContent(clientRequest) || StreamSemantics.hasBodyOfUnknownLength(clientRequest);
    }

    /**
     * Serves a request as Jetty's proxy does; if that fails with an error of the gateway's own, the
     * attempt's hold on its upstream ends before the error goes on to the container, so a
     * half-open circuit's trial is never lost to a gateway bug. Whoever gives the answer, the
     * request ends in {@link ExchangeEnd}.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        long startNanos = System.nanoTime();
        try {
            runtime().tracing().begin(request, startNanos);
            if (WebSocketProxy.isUpgrade(request) && upgraded(request, response)) {
                return;
            }
            super.service(request, response);
        } catch (ServletException | IOException | RuntimeException | Error e) {
            _log.warn("Cannot proxy {} {}", request.getMethod(), request.getRequestURI(), e);
            ExchangeEnd.failed(runtime(), request, startNanos);
            throw e;
        }
    }

    /**
     * Serves a WebSocket upgrade on a route that carries WebSocket ({@link WebSocketProxy}), or
     * answers one that goes to no upstream.
     *
     * @return false when the route does not carry WebSocket: the request is proxied as any other,
     *     on the exchange it was routed to
     */
    private boolean upgraded(HttpServletRequest request, HttpServletResponse response) {
        Routed routed = Routing.route(request, runtime().snapshot());
        request.setAttribute(Routed.ATTRIBUTE, routed);
        if (routed instanceof Exchange exchange) {
            if (!exchange.route().config().websocket().enabled()) {
                return false;
            }
            WebSocketProxy.serve(runtime(), webSocketHooks, request, response, exchange);
        } else {
            ProxyAnswers.rejected(runtime(), request, response, (Rejection) routed);
        }
        return true;
    }

    /** What an upgrade shares with every proxied request: its forwarding headers, and the upstream's answer's. */
    private final transient WebSocketProxy.Hooks webSocketHooks = new WebSocketProxy.Hooks() {
        @Override
        public boolean isHopByHop(String lowerCaseName) {
            return HOP_HEADERS.contains(lowerCaseName);
        }

        @Override
        public void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
            // Jetty's Via reads the client's protocol from the request's attribute.
            proxyRequest.attribute(CLIENT_REQUEST_ATTRIBUTE, clientRequest);
            RoutingProxyServlet.this.addProxyHeaders(clientRequest, proxyRequest);
        }

        @Override
        public void copyResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse response,
                Response serverResponse) {
            ResponseHeaders.copy(response, serverResponse, HOP_HEADERS,
                    field -> filterServerResponseHeader(clientRequest, serverResponse, field), getViaHost());
        }

        @Override
        public HttpField filterResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
                HttpField field) {
            return filterServerResponseHeader(clientRequest, serverResponse, field);
        }
    };

    /** Routes the request: the upstream URL of its first attempt, or null with a {@link Rejection}. */
    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest) {
        // An upgrade on a route that does not carry WebSocket was routed already.
        Object upgradeRouted = clientRequest.getAttribute(Routed.ATTRIBUTE);
        Routed routed = upgradeRouted instanceof Routed known ? known : Routing.route(clientRequest, runtime().snapshot());
        clientRequest.setAttribute(Routed.ATTRIBUTE, routed);
        return routed instanceof Exchange ? ((Exchange) routed).target() : null;
    }

    /** Answers a request that goes to no upstream, as its {@link Rejection} says. */
    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
        ProxyAnswers.rejected(runtime(), clientRequest, proxyResponse,
                (Rejection) clientRequest.getAttribute(Routed.ATTRIBUTE));
    }

    /** Creates the proxy-to-server request of the current attempt, with the route's client. */
    @Override
    protected Request newProxyRequest(HttpServletRequest request, String rewrittenTarget) {
        Exchange exchange = exchange(request);
        return exchange.newProxyRequest(exchange.route().client(runtime().clients()), request.getMethod())
                .attribute(CLIENT_REQUEST_ATTRIBUTE, request);
    }

    /**
     * Keeps a request body of known length up to the route's {@code retries.replayBodySize}, read
     * whole before the first attempt, to send it again on a retry, while {@code gateway.replayMemory}
     * has room for its declared length. A larger body, one of unknown length, or one that finds no
     * room streams through, and its request is not retried once sent.
     */
    @Override
    protected Request.Content proxyRequestContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Request proxyRequest) throws IOException {
        Exchange exchange = exchange(clientRequest);
        RetryConfig retries = exchange.route().config().retries();
        long length = clientRequest.getContentLengthLong();
        if (retries.maxAttempts() < 2 || length < 0 || length > retries.replayBodySize()
                || !runtime().replayMemory().tryReserve(length)) {
            // As Jetty's, but with the client's Content-Type, none included, not application/octet-stream.
            AsyncRequestContent content = new AsyncRequestContent(clientRequest.getContentType());
            clientRequest.getInputStream().setReadListener(newReadListener(clientRequest, proxyResponse, proxyRequest,
                    content));
            return content;
        }
        ReplayableBody body = ReplayableBody.read(clientRequest, (int) length, runtime().replayMemory());
        body.releaseWhenDone(clientRequest.getAsyncContext());
        exchange.keep(body);
        // Not sent: sendProxyRequest waits for the whole body and gives each attempt its own content.
        return body.content();
    }

    /**
     * The gateway answers a client's {@code Expect: 100-continue} itself, when it starts reading the
     * body, and does not forward the expectation: an upstream that never sends {@code 100 Continue}
     * (as an HTTP/1.0 server must not) cannot stall the request, and is never blamed for it.
     *
     * @return false: the body is read, and the expectation met, as for any other request
     */
    @Override
    protected boolean expects100Continue(HttpServletRequest request) {
        return false;
    }

    /**
     * Sends an attempt once its kept request body, if any, has been read, within the route's
     * response timeout. A client that fails to send a kept body gets its answer ({@code 408} or
     * {@code 400}) and no upstream sees the request. From here to its end the exchange counts as in
     * flight: a stopping gateway waits for it, and ends it at the shutdown deadline.
     */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Request proxyRequest) {
        Exchange exchange = exchange(clientRequest);
        if (exchange.attemptNumber() == 1) {
            // The asynchronous cycle has just started: its end is followed before anything can complete it.
            ExchangeEnd.follow(runtime(), clientRequest, proxyResponse, exchange);
        }
        exchange.sending(proxyRequest);
        runtime().inFlight().add(exchange);
        ReplayableBody body = exchange.body();
        if (body == null) {
            send(clientRequest, proxyResponse, proxyRequest, exchange);
            return;
        }
        body.whenRead().whenComplete((read, failure) -> {
            if (failure != null) {
                exchange.lease().released();
                ProxyAnswers.clientGone(runtime(), exchange, clientRequest, proxyResponse,
                        Failover.clientStatus(failure), false);
                clientRequest.getAsyncContext().complete();
            } else {
                send(clientRequest, proxyResponse, proxyRequest.body(body.content()), exchange);
            }
        });
    }

    private void send(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest,
            Exchange exchange) {
        if (!GrpcAnswers.isGrpc(clientRequest)) {
            proxyRequest.timeout(exchange.route().config().timeouts().response().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            // A gRPC stream may rightly last hours: not the route's whole-exchange bound, but the caller's own deadline.
            long deadline = GrpcDeadline.millis(clientRequest.getHeader(GrpcDeadline.HEADER));
            long bound = deadline > 0 ? deadline + GrpcDeadline.GRACE_MILLIS : -1;
            exchange.tracker().bound(bound > 0 ? Duration.ofMillis(bound) : ExchangeTracker.NO_BOUND);
            if (bound > 0) {
                proxyRequest.timeout(bound, TimeUnit.MILLISECONDS);
            }
        }
        exchange.lease().sent();
        try {
            super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
        } catch (RuntimeException e) {
            // Answered like any failed attempt, not lost in a future.
            onProxyResponseFailure(clientRequest, proxyResponse, null, e);
        }
    }

    /**
     * Copies the upstream's response headers, appending this gateway to {@code Via} and adding its
     * {@code Proxy-Status} with {@code received-status} to an error status; or aborts the answer to retry elsewhere on a
     * status the route retries on; or keeps it back for a status the route intercepts.
     */
    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse) {
        Exchange exchange = exchange(clientRequest);
        int status = serverResponse.getStatus();
        InvalidResponseException invalid = UpstreamResponses.invalid(serverResponse);
        if (invalid != null) {
            serverResponse.abort(invalid);
            return;
        }
        if (status >= HttpStatus.INTERNAL_SERVER_ERROR_500
                && Failover.retriesOnStatus(exchange, status, facts(clientRequest, proxyResponse, exchange))) {
            // Nothing of this answer reaches the client; onProxyResponseFailure sends the next attempt.
            serverResponse.abort(new Failover.StatusRetry(status));
            return;
        }
        // Only error statuses can be intercepted: a 2xx skips the set's lookup (and the boxing).
        if (status >= 400 && exchange.route().config().interceptStatuses().contains(status)) {
            exchange.intercept(status);
            return;
        }
        ResponseHeaders.copy(proxyResponse, serverResponse, HOP_HEADERS,
                field -> filterServerResponseHeader(clientRequest, serverResponse, field), getViaHost());
        StreamSemantics.relayTrailers(clientRequest, proxyResponse, serverResponse);
        if (status >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
            proxyResponse.setHeader(ProxyStatus.HEADER, exchange.receivedProxyStatus(serverResponse, clientRequest));
        }
    }

    /** Ends the attempt as a success; answers an intercepted upstream error with the gateway's page. */
    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse) {
        Exchange exchange = exchange(clientRequest);
        ResponseLimitException trailers = exchange.tracker().trailerSectionOverLimit(serverResponse);
        if (trailers != null) {
            // The trailers have not reached the client: the response it has is cut short, and the failure recorded.
            onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, trailers);
            return;
        }
        exchange.attemptSucceeded();
        if (exchange.interceptedStatus() != 0) {
            ProxyAnswers.intercepted(runtime(), exchange, clientRequest, proxyResponse,
                    exchange.receivedProxyStatus(serverResponse, clientRequest),
                    serverResponse.getHeaders().get(HttpHeader.RETRY_AFTER));
        } else {
            ExchangeEnd.succeeded(runtime(), clientRequest, exchange, proxyResponse.getStatus());
        }
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    /**
     * Hands a failed attempt to {@link Failover}: sends the next attempt, or answers the client
     * with the failure, or (the client's side failed) with {@code 408}/{@code 400} or an abort.
     */
    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse, Throwable failure) {
        Exchange exchange = exchange(clientRequest);
        Failover.Outcome outcome = null;
        try {
            Throwable handshakeFailure = runtime().clients().handshakeFailures().take(exchange.proxyRequest())
                    .orElse(null);
            outcome = Failover.onFailure(exchange, failure, handshakeFailure,
                    facts(clientRequest, proxyResponse, exchange));
            if (outcome instanceof Failover.Retry retry) {
                retry(clientRequest, proxyResponse, exchange, retry.next());
            } else if (outcome instanceof Failover.GiveUp giveUp) {
                ProxyAnswers.gaveUp(runtime(), exchange, clientRequest, proxyResponse, giveUp.failure());
            } else if (outcome instanceof Failover.ClientGone gone) {
                ProxyAnswers.clientGone(runtime(), exchange, clientRequest, proxyResponse, gone.status(),
                        exchange.responseStarted(proxyResponse));
            }
        } catch (RuntimeException e) {
            _log.warn("Cannot answer a failed exchange of {}", clientRequest.getRequestURI(), e);
            outcome = null;
        } finally {
            if (!(outcome instanceof Failover.Retry)) {
                end(clientRequest, proxyResponse, exchange);
            }
        }
    }

    /**
     * Ends the exchange and completes the asynchronous cycle. The answer ended it already; if
     * answering failed, it ends here: whatever happened, the attempt's hold on its upstream (a
     * half-open trial) ends, and the request is recorded.
     */
    private void end(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange) {
        try {
            ExchangeEnd.now(runtime(), clientRequest, exchange, proxyResponse.getStatus());
        } finally {
            if (clientRequest.isAsyncStarted()) {
                clientRequest.getAsyncContext().complete();
            }
        }
    }

    /** Sends the request again, with its kept body if any, to another upstream, as a new attempt. */
    private void retry(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Exchange exchange,
            Lease next) {
        _log.debug("Retrying {} on {}", clientRequest.getRequestURI(), next.endpoint());
        // Headers the failed attempt's response may have set are not the next attempt's.
        proxyResponse.reset();
        Request proxyRequest = newProxyRequest(clientRequest, exchange.begin(next));
        copyRequestHeaders(clientRequest, proxyRequest);
        addProxyHeaders(clientRequest, proxyRequest);
        sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
    }

    /** @return {@code 408} for a client too slow to send its request, else {@code 400} */
    @Override
    protected int clientRequestStatus(Throwable failure) {
        return Failover.clientStatus(failure);
    }

    /** Marks a failure to read the client's body as the client's before Jetty aborts the upstream exchange. */
    @Override
    protected void onClientRequestFailure(HttpServletRequest clientRequest, Request proxyRequest,
            HttpServletResponse proxyResponse, Throwable failure) {
        super.onClientRequestFailure(clientRequest, proxyRequest, proxyResponse,
                failure instanceof ClientAbortException ? failure : new ClientAbortException(failure));
    }

    /**
     * Reads the client's body into the upstream request; a failure to read it (the client stalled
     * or left) goes to {@link #onClientRequestFailure}, not to the upstream's account.
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

    /** Passes a piece of the upstream's body to the client and flushes it; drops an intercepted one. */
    @Override
    protected void onResponseContent(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Response serverResponse, byte[] buffer, int offset, int length, Callback callback) {
        Exchange exchange = exchange(clientRequest);
        if (exchange.interceptedStatus() != 0) {
            callback.succeeded();
            return;
        }
        try {
            exchange.writeBody(proxyResponse, serverResponse, buffer, offset, length, callback);
        } catch (Throwable x) {
            // A write that fails at once means the client is gone: its fault, not the upstream's.
            Throwable failure = x instanceof IOException && !(x instanceof ClientAbortException)
                    ? new ClientAbortException(x) : x;
            callback.failed(failure);
            serverResponse.abort(failure);
        }
    }

    /**
     * Drops response headers the upstream's {@code Connection} header names: they are hop-by-hop;
     * and the upstream's {@code Proxy-Status} unless the client sees the full view. Rewrites the
     * upstream's links to itself ({@link UpstreamLinks}) unless the route turns that off.
     */
    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
            HttpField field) {
        // HttpFields.contains matches a comma-separated token, ignoring case, without allocating.
        if (serverResponse.getHeaders().contains(HttpHeader.CONNECTION, field.getName())) {
            return null;
        }
        HttpHeader header = field.getHeader();
        // Refresh has no constant of Jetty's: only a field of no known name is compared by its name.
        if (header == HttpHeader.LOCATION || header == HttpHeader.CONTENT_LOCATION || header == HttpHeader.SET_COOKIE
                || header == null && field.is("Refresh")) {
            return rewriteLink(clientRequest, exchange(clientRequest), field);
        }
        return field.is(ProxyStatus.HEADER)
                && !exchange(clientRequest).snapshot().recorder().responses().seesFullProxyStatus(clientRequest)
                ? null : field;
    }

    private static HttpField rewriteLink(HttpServletRequest clientRequest, Exchange exchange, HttpField field) {
        RouteConfig route = exchange.route().config();
        boolean cookie = field.getHeader() == HttpHeader.SET_COOKIE;
        if (cookie ? !route.rewriteCookies() : !route.rewriteLocation()) {
            return field;
        }
        UpstreamLinks links = UpstreamLinks.of(clientRequest, route, exchange.lease().endpoint().config());
        String value = field.getValue();
        String rewritten = cookie ? links.setCookie(value) : field.is("Refresh") ? links.refresh(value)
                : links.location(value);
        return rewritten.equals(value) ? field : new HttpField(field.getName(), rewritten);
    }

    /** @return the exchange the request was routed to */
    private static Exchange exchange(HttpServletRequest clientRequest) {
        return (Exchange) clientRequest.getAttribute(Routed.ATTRIBUTE);
    }

    private RetryRule.Facts facts(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
            Exchange exchange) {
        return new RetryRule.Facts(clientRequest.getMethod(), exchange.body() == null && hasContent(clientRequest),
                exchange.attemptNumber(), exchange.responseStarted(proxyResponse), proxyResponse.isCommitted());
    }

    /** Hands a {@code 100 Continue} from the upstream to Jetty's proxy hook. */
    private final class ContinueHandler extends ContinueProtocolHandler {
        @Override
        protected Runnable onContinue(Request request) {
            HttpServletRequest clientRequest = (HttpServletRequest) request.getAttributes()
                    .get(CLIENT_REQUEST_ATTRIBUTE);
            return RoutingProxyServlet.this.onContinue(clientRequest, request);
        }
    }

}
