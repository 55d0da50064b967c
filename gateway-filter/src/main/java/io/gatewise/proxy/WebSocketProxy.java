package io.gatewise.proxy;

import io.gatewise.config.Durations;
import io.gatewise.config.WebSocketConfig;
import io.gatewise.exchange.WebSocketClose;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpgradeFailedException;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.websocket.Initiator;
import io.gatewise.websocket.SessionBridge;
import io.gatewise.websocket.SessionEvents;
import io.gatewise.websocket.UpstreamWebSockets;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;
import org.eclipse.jetty.websocket.core.exception.WebSocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies a WebSocket upgrade, the upstream first: the gateway opens the WebSocket to an upstream
 * of the route (its balancing, circuit breakers, DNS cache, prohibited addresses, timeouts, and a
 * retry on another upstream for what failed before anything was sent), and upgrades the client
 * only once the upstream has accepted, with the subprotocol and extensions the upstream agreed
 * to. Until then every failure is a normal answer of the gateway's, and an upstream's own refusal
 * ({@code 401}, {@code 403}, {@code 426}, ...) passes through as it is: the client is never told
 * {@code 101} for a session the upstream refused. From the upgrade on, a {@link SessionBridge}
 * carries the session, and the exchange's one record is written when the session ends.
 *
 * <p>The upstream's handshake runs on the request's own thread, bounded by the route's response
 * timeout: the client's upgrade must be made from its request, in every container.
 */
final class WebSocketProxy {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketProxy.class);
    private static final FailureClassifier CLASSIFIER = new FailureClassifier();
    /** How much longer than the route's response timeout the request waits for the handshake's own end. */
    private static final long HANDSHAKE_GRACE_MILLIS = 1000;
    /**
     * Request headers that do not go upstream besides the proxy's hop-by-hop ones: the handshake's
     * own, which the upstream's leg sets itself, and those that end at the gateway.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "expect", "http2-settings",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-accept");

    /** What the proxy servlet lends the upgrade: its headers, as for any request. */
    interface Hooks {
        /** @return whether a header, by its lower-case name, is hop-by-hop for the proxy */
        boolean isHopByHop(String lowerCaseName);

        /** Adds {@code Via} and the forwarding headers to the upstream's handshake, as for any request. */
        void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest);

        /** Copies the head of an upstream's answer to the client, as for any response. */
        void copyResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse response, Response serverResponse);

        /**
         * @return an upstream's response header as the client gets it (its links and cookies under
         *     the route), or null when it does not pass, as for any response
         */
        HttpField filterResponseHeader(HttpServletRequest clientRequest, Response serverResponse, HttpField field);
    }

    private WebSocketProxy() {
    }

    /**
     * @param request a client request
     * @return whether it asks for a WebSocket: a {@code GET} with {@code Upgrade: websocket}
     *     and a {@code Sec-WebSocket-Key}
     */
    static boolean isUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && "GET".equals(request.getMethod()) && hasToken(upgrade, "websocket")
                && request.getHeader("Sec-WebSocket-Key") != null;
    }

    private static boolean hasToken(String value, String token) {
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Serves an upgrade request routed to an exchange whose route carries WebSocket.
     *
     * @param runtime the gateway
     * @param hooks the servlet's header handling
     * @param request the client's request
     * @param response its response
     * @param exchange its exchange, its first attempt begun
     */
    static void serve(ProxyRuntime runtime, Hooks hooks, HttpServletRequest request, HttpServletResponse response,
            Exchange exchange) {
        ServerContainer container = (ServerContainer) request.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        if (container == null) {
            UpstreamFailure failure = exchange.failure(Classification.of(ProxyErrorType.PROXY_CONFIGURATION_ERROR,
                    Phase.ROUTE, "the servlet container offers no Jakarta WebSocket (add its WebSocket support, such"
                    + " as Jetty's ee10-websocket-jakarta module)"), null, false);
            exchange.attemptAbandoned();
            ProxyAnswers.gaveUp(runtime, exchange, request, response, failure);
            return;
        }
        new Upgrade(runtime, hooks, request, response, exchange, container).run();
    }

    /** One upgrade request, from its first attempt to the client's upgrade or the gateway's answer. */
    private static final class Upgrade implements SessionEvents {
        private final ProxyRuntime runtime;
        private final Hooks hooks;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Exchange exchange;
        private final ServerContainer container;
        private final WebSocketConfig settings;
        private final SessionBridge bridge;
        /** How the exchange ends once the client is upgraded: its request is gone by then. */
        private volatile ExchangeEnd.Upgraded upgraded;
        private volatile UpstreamFailure lost;

        Upgrade(ProxyRuntime runtime, Hooks hooks, HttpServletRequest request, HttpServletResponse response,
                Exchange exchange, ServerContainer container) {
            this.runtime = runtime;
            this.hooks = hooks;
            this.request = request;
            this.response = response;
            this.exchange = exchange;
            this.container = container;
            this.settings = exchange.route().config().websocket();
            this.bridge = new SessionBridge(exchange.route().config().path(), exchange.route().clientSettings(),
                    settings, this, runtime.webSockets());
        }

        void run() {
            runtime.inFlight().add(exchange);
            try {
                while (true) {
                    UpstreamHandshake handshake = newHandshake();
                    Throwable failure = connect(handshake);
                    if (failure == null) {
                        upgradeClient(handshake);
                        return;
                    }
                    Response refusal = handshake.response();
                    if (refusal != null && refusal.getStatus() != HttpStatus.SWITCHING_PROTOCOLS_101
                            && failure instanceof UpgradeException) {
                        passRefusal(handshake, refusal);
                        return;
                    }
                    if (refusal != null && refusal.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101) {
                        failure = new UpgradeFailedException("the upstream's 101 breaks the WebSocket handshake: "
                                + reason(failure), failure);
                    }
                    Failover.Outcome outcome = Failover.onFailure(exchange, failure, null, facts());
                    if (outcome instanceof Failover.Retry retry) {
                        LOG.debug("Retrying the upgrade of {} on {}", request.getRequestURI(), retry.next().endpoint());
                        exchange.begin(retry.next());
                        continue;
                    }
                    if (outcome instanceof Failover.GiveUp giveUp) {
                        ProxyAnswers.gaveUp(runtime, exchange, request, response, giveUp.failure());
                    } else if (outcome instanceof Failover.ClientGone gone) {
                        ProxyAnswers.clientGone(runtime, exchange, request, response, gone.status(), false);
                    }
                    return;
                }
            } finally {
                if (upgraded == null) {
                    ExchangeEnd.now(runtime, request, exchange, response.getStatus());
                }
            }
        }

        private RetryRule.Facts facts() {
            return new RetryRule.Facts(request.getMethod(), false, exchange.attemptNumber(), false, false);
        }

        private UpstreamHandshake newHandshake() {
            HttpClient client = exchange.route().client(runtime.clients());
            WebSocketCoreClient webSockets = UpstreamWebSockets.of(client);
            UpstreamHandshake handshake = new UpstreamHandshake(webSockets, exchange.target(), bridge.upstreamLeg(),
                    exchange.tracker(), exchange.route().config().timeouts().response().toMillis(), proxyRequest -> {
                        proxyRequest.idleTimeout(exchange.route().config().timeouts().idle().toMillis(),
                                TimeUnit.MILLISECONDS);
                        hooks.addProxyHeaders(request, proxyRequest);
                        exchange.sending(proxyRequest);
                        exchange.lease().sent();
                    });
            handshake.headers(headers -> {
                for (String name : Collections.list(request.getHeaderNames())) {
                    if (forwarded(name)) {
                        for (String value : Collections.list(request.getHeaders(name))) {
                            headers.add(name, value);
                        }
                    }
                }
            });
            // Only extensions the gateway can run on the upstream's leg are offered; the client gets those the upstream took.
            List<ExtensionConfig> offered = new ArrayList<>();
            for (ExtensionConfig extension : ExtensionConfig.parseEnum(request.getHeaders("Sec-WebSocket-Extensions"))) {
                if (webSockets.getExtensionRegistry().isAvailable(extension.getName())) {
                    offered.add(extension);
                }
            }
            handshake.setExtensions(offered);
            handshake.setConfiguration(new org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer() {
                {
                    setIdleTimeout(bridge.legIdleTimeout());
                    setAutoFragment(true);
                    setMaxFrameSize(64 * 1024);
                    setMaxTextMessageSize(settings.maxMessageSize());
                    setMaxBinaryMessageSize(settings.maxMessageSize());
                }
            });
            return handshake;
        }

        private boolean forwarded(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (hooks.isHopByHop(lower) || NOT_FORWARDED.contains(lower)) {
                return false;
            }
            // A header the client's Connection names is hop-by-hop.
            String connection = request.getHeader("Connection");
            return connection == null || !hasToken(connection, name);
        }

        /** @return null once the upstream's session is open; else what the attempt failed with */
        private Throwable connect(UpstreamHandshake handshake) {
            CompletableFuture<CoreSession> session;
            try {
                session = handshake.sendAsync();
            } catch (RuntimeException e) {
                return e;
            }
            long bound = exchange.route().config().timeouts().response().toMillis() + HANDSHAKE_GRACE_MILLIS;
            try {
                session.get(bound, TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                session.cancel(false);
                return e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.cancel(false);
                return e;
            }
        }

        /** @return what the WebSocket client found wrong with the upstream's 101, beneath its wrappers */
        private static String reason(Throwable failure) {
            Throwable cause = failure;
            while (cause instanceof WebSocketException && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String message = cause.getMessage();
            return message != null ? message : cause.getClass().getSimpleName();
        }

        /** Passes the upstream's refusal to the client as it is, with the gateway's {@code received-status}. */
        private void passRefusal(UpstreamHandshake handshake, Response refusal) {
            exchange.attemptSucceeded();
            int status = refusal.getStatus();
            ExchangeEnd.succeeded(runtime, request, exchange, status);
            try {
                response.setStatus(status);
                hooks.copyResponseHeaders(request, response, refusal);
                response.setHeader(ProxyStatus.HEADER, exchange.receivedProxyStatus(refusal, request));
                byte[] body = handshake.refusalBody();
                if (handshake.refusalCut()) {
                    LOG.debug("The upstream's refusal of {} was cut to {} bytes", request.getRequestURI(), body.length);
                }
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            } catch (IOException e) {
                LOG.debug("Cannot pass the upstream's refusal of {}: the client connection failed",
                        request.getRequestURI(), e);
            }
        }

        /** Upgrades the client, now that the upstream has: with what the upstream agreed to. */
        private void upgradeClient(UpstreamHandshake handshake) {
            Response accepted = handshake.response();
            exchange.attemptSucceeded();
            upgraded = ExchangeEnd.upgraded(runtime, request, exchange);
            bridge.upstreamAccepted();
            String subprotocol = accepted == null ? null : accepted.getHeaders().get(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL);
            List<String> agreedExtensions = new ArrayList<>();
            if (accepted != null) {
                for (ExtensionConfig extension : ExtensionConfig.parseEnum(
                        Collections.enumeration(accepted.getHeaders().getValuesList(HttpHeader.SEC_WEBSOCKET_EXTENSIONS)))) {
                    agreedExtensions.add(extension.getName());
                }
            }
            List<HttpField> passed = new ArrayList<>();
            if (accepted != null) {
                for (HttpField field : accepted.getHeaders()) {
                    HttpField kept = Agreed.isHandshakeHeader(field) ? null
                            : hooks.filterResponseHeader(request, accepted, field);
                    if (kept != null) {
                        passed.add(kept);
                    }
                }
            }
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(SessionBridge.ClientLeg.class, "/")
                    .subprotocols(subprotocol == null ? List.of() : List.of(subprotocol))
                    .configurator(new Agreed(bridge, subprotocol, agreedExtensions, passed))
                    .build();
            try {
                container.upgradeHttpToWebSocket(request, response, config, Map.of());
            } catch (Exception e) {
                LOG.warn("Cannot upgrade the client of {} after its upstream accepted", request.getRequestURI(), e);
                bridge.clientNeverOpened();
                if (!response.isCommitted()) {
                    try {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    } catch (IOException | RuntimeException ignored) {
                        // The client is gone: nothing to tell.
                    }
                }
            }
        }

        @Override
        public String upstreamLost(Throwable cause) {
            return lost(CLASSIFIER.classifySessionLoss(cause), cause);
        }

        @Override
        public String upstreamStalled() {
            return lost(Classification.of(ProxyErrorType.CONNECTION_WRITE_TIMEOUT, Phase.BODY,
                    "upstream stopped reading the session's frames"), new TimeoutException(
                    "no frame written to the upstream within websocket.idleTimeout "
                    + Durations.format(settings.idleTimeout())));
        }

        private String lost(Classification classification, Throwable cause) {
            UpstreamFailure failure = exchange.failure(classification, cause, true,
                    HttpServletResponse.SC_SWITCHING_PROTOCOLS);
            lost = failure;
            return failure.incident();
        }

        @Override
        public void ended(int code, Initiator initiator) {
            ExchangeEnd.Upgraded end = upgraded;
            if (end != null) {
                end.end(new WebSocketClose(code, initiator.label()), Optional.ofNullable(lost));
            }
        }
    }

    /**
     * Negotiates the client's side as the upstream did: its subprotocol, only the extensions it
     * took, and the other headers of its {@code 101} (a {@code Set-Cookie}, ...) as any response's pass.
     */
    private static final class Agreed extends ServerEndpointConfig.Configurator {
        private static final Set<String> HANDSHAKE_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
                "sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding", "date",
                "server", "keep-alive");

        private final SessionBridge bridge;
        private final String subprotocol;
        private final List<String> extensions;
        private final List<HttpField> passed;

        Agreed(SessionBridge bridge, String subprotocol, List<String> extensions, List<HttpField> passed) {
            this.bridge = bridge;
            this.subprotocol = subprotocol;
            this.extensions = extensions;
            this.passed = passed;
        }

        /** @return whether the field is the handshake's own, which the client's side sets for itself */
        static boolean isHandshakeHeader(HttpField field) {
            return HANDSHAKE_HEADERS.contains(field.getLowerCaseName());
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            Endpoint leg = bridge.clientLeg();
            return endpointClass.cast(leg);
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return subprotocol != null && requested.contains(subprotocol) ? subprotocol : "";
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            List<Extension> agreed = new ArrayList<>();
            for (Extension extension : requested) {
                boolean available = installed.stream().anyMatch(one -> one.getName().equals(extension.getName()));
                if (available && extensions.contains(extension.getName())
                        && agreed.stream().noneMatch(one -> one.getName().equals(extension.getName()))) {
                    agreed.add(extension);
                }
            }
            return agreed;
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            // The upstream saw the Origin and accepted: it is the upstream's to check.
            return true;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            for (HttpField field : passed) {
                response.getHeaders().computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
            }
        }
    }
}
