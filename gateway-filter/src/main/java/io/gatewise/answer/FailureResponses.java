package io.gatewise.answer;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.ErrorPagesConfig.Dispatch;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.ServerConfig.ProxyStatusView;
import io.gatewise.errorpage.ContentNegotiation;
import io.gatewise.errorpage.DiagnosisSummary;
import io.gatewise.errorpage.ErrorPages;
import io.gatewise.errorpage.PageLanguage;
import io.gatewise.errorpage.PageRequest;
import io.gatewise.errorpage.RenderedPage;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that answers a failure: status, {@code Proxy-Status}, {@code Cache-Control:
 * no-store}, {@code Retry-After} with a 503, {@code Vary}, {@code Connection: close} when the
 * gateway is stopping or the request's body was not read (see {@link UnreadBodies}), and the page
 * in the format and language the client negotiated, for every method (a {@code HEAD} gets the
 * headers only).
 *
 * <p>What {@code Proxy-Status} shows depends on who asks ({@code gateway.proxyStatus}): a visitor
 * gets the gateway's own member with the error type and {@code received-status} only; the
 * operator view (see {@link #isOperator}), or everyone with {@code proxyStatus: full}, also gets
 * {@code next-hop}, the other parameters and the upstream's own members, and only the operator view
 * gets {@code details}. Every answer carries {@code X-Content-Type-Options: nosniff}; an HTML page
 * also a {@code Content-Security-Policy} that allows no script, no framing and nothing loaded.
 *
 * <p>By default the gateway writes the page itself, the same on every container and in every
 * embedding. With {@code errorPages.dispatch: container} it sets the status and headers and leaves
 * the body to the container's error dispatch, so a {@code web.xml} {@code <error-page>} of the
 * operator's renders it; the request attributes ({@link FailureAttributes}) are set first either
 * way. A response already under way cannot be answered: the client connection is aborted instead.
 */
public final class FailureResponses {
    private static final String CACHE_CONTROL = "Cache-Control";
    private static final String RETRY_AFTER = "Retry-After";
    private static final String NO_STORE = "no-store";
    /** What a {@code 405} offers: the methods the gateway forwards on every route. */
    private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";
    /** What the built-in pages need: inline styles and data: images; no script, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String gatewayName;
    private final ErrorPages pages;
    private final OperatorAccess access;
    private final Dispatch dispatch;
    private final ProxyStatusView proxyStatusView;
    private final DiagnosisSummary.Lookup diagnoses;
    private final Clock clock = Clock.systemUTC();

    private FailureResponses(String gatewayName, ErrorPages pages, OperatorAccess access, Dispatch dispatch,
            ProxyStatusView proxyStatusView, DiagnosisSummary.Lookup diagnoses) {
        this.gatewayName = gatewayName;
        this.pages = pages;
        this.access = access;
        this.dispatch = dispatch;
        this.proxyStatusView = proxyStatusView;
        this.diagnoses = diagnoses;
    }

    /**
     * @param config the gateway configuration: its name, error pages and operator access
     * @return the gateway's answers
     * @throws IllegalStateException naming the file, if an operator's template is broken
     */
    public static FailureResponses create(GatewayConfig config) {
        return new FailureResponses(config.gateway().name(), ErrorPages.create(config),
                new OperatorAccess(config.errorPages()), config.errorPages().dispatch(), config.gateway().proxyStatus(),
                DiagnosisSummary.Lookup.NONE);
    }

    /**
     * @param gatewayName the {@code Proxy-Status} member name
     * @param config the error page settings
     * @return answers with the given error pages, no route of their own, and the visitor view of
     *     {@code Proxy-Status}
     */
    public static FailureResponses create(String gatewayName, ErrorPagesConfig config) {
        return new FailureResponses(gatewayName, ErrorPages.create(config), new OperatorAccess(config),
                config.dispatch(), ProxyStatusView.VISITOR, DiagnosisSummary.Lookup.NONE);
    }

    /**
     * @param name another {@code Proxy-Status} member name
     * @return the same answers under that name
     */
    public FailureResponses named(String name) {
        return name.equals(gatewayName) ? this : new FailureResponses(name, pages, access, dispatch, proxyStatusView,
                diagnoses);
    }

    /**
     * @param lookup finds the latest diagnosis of a failure's upstream
     * @return the same answers, whose operator view shows that diagnosis
     */
    public FailureResponses withDiagnoses(DiagnosisSummary.Lookup lookup) {
        return new FailureResponses(gatewayName, pages, access, dispatch, proxyStatusView, lookup);
    }

    /** @return the {@code Proxy-Status} member name */
    public String gatewayName() {
        return gatewayName;
    }

    /** @return the {@code Retry-After} sent with a 503, in seconds, when nothing more precise is known */
    public long retryAfterSeconds() {
        return pages.retryAfterSeconds();
    }

    /**
     * @param request a client request
     * @return whether it may see the operator view and {@code Proxy-Status} details
     */
    public boolean isOperator(HttpServletRequest request) {
        return access.isOperator(request);
    }

    /**
     * @param request a client request
     * @return whether it sees {@code next-hop}, every parameter and the upstream's own members in
     *     {@code Proxy-Status}: it is an operator's, or the gateway runs with {@code proxyStatus: full}
     */
    public boolean seesFullProxyStatus(HttpServletRequest request) {
        return proxyStatusView == ProxyStatusView.FULL || isOperator(request);
    }

    /**
     * The {@code Proxy-Status} for a response the upstream gave itself, as this request may see it.
     *
     * @param request the client request
     * @param upstreamField the upstream's own {@code Proxy-Status}, or null
     * @param nextHop the upstream as {@code host:port}
     * @param receivedStatus the upstream's status
     * @return the upstream's members then the gateway's with {@code next-hop} and
     *     {@code received-status}; for a visitor, the gateway's member with {@code received-status} only
     */
    public String receivedProxyStatus(HttpServletRequest request, String upstreamField, String nextHop,
            int receivedStatus) {
        return seesFullProxyStatus(request)
                ? ProxyStatus.append(upstreamField, ProxyStatus.received(gatewayName, nextHop, receivedStatus))
                : ProxyStatus.visitorReceived(gatewayName, receivedStatus);
    }

    /**
     * Answers a recorded failure.
     *
     * @param request the client request, its failure attributes already set
     * @param response the response to it
     * @param failure the recorded failure
     * @param retryAfterSeconds the {@code Retry-After} sent with a 503
     * @throws IOException if the client connection fails while answering
     */
    public void send(HttpServletRequest request, HttpServletResponse response, UpstreamFailure failure,
            long retryAfterSeconds) throws IOException {
        send(request, response, failure, retryAfterSeconds, false);
    }

    /**
     * Answers a recorded failure in place of an upstream body that was buffered but never reached
     * the client: the stream is in non-blocking mode, where a container's error dispatch cannot
     * write a page, so the gateway writes its own whatever {@code errorPages.dispatch} says.
     *
     * @param request the client request, its failure attributes already set
     * @param response the response to it, not committed
     * @param failure the recorded failure
     * @param retryAfterSeconds the {@code Retry-After} sent with a 503
     * @throws IOException if the client connection fails while answering
     */
    public void sendInPlaceOfBufferedBody(HttpServletRequest request, HttpServletResponse response,
            UpstreamFailure failure, long retryAfterSeconds) throws IOException {
        send(request, response, failure, retryAfterSeconds, true);
    }

    private void send(HttpServletRequest request, HttpServletResponse response, UpstreamFailure failure,
            long retryAfterSeconds, boolean nonBlocking) throws IOException {
        if (response.isCommitted() || failure.responseCommitted()) {
            // Some of the body reached the client: aborting tells the client it is incomplete.
            response.sendError(-1);
            return;
        }
        // Drop whatever the upstream's headers put there (Content-Length, Content-Type, ...).
        response.reset();
        if (failure.cause() == FailureCause.GATEWAY_STOPPING) {
            // The gateway is going away: the client's next request belongs on a new connection, elsewhere.
            response.setHeader("Connection", "close");
        }
        boolean operator = isOperator(request);
        response.setHeader(ProxyStatus.HEADER, operator || proxyStatusView == ProxyStatusView.FULL
                ? ProxyStatus.member(gatewayName, failure, operator) : ProxyStatus.visitorMember(gatewayName, failure));
        answer(request, response, new Answer(failure.status(), failure, null, retryAfterSeconds,
                failure.route().orElse(null)), nonBlocking);
    }

    /**
     * Answers an upstream's own error status with the gateway's page instead of the upstream's body.
     *
     * @param request the client request
     * @param response the response to it
     * @param upstreamStatus the upstream's status, which the client gets too
     * @param proxyStatus the {@code Proxy-Status} field value to send, from {@link #receivedProxyStatus}
     * @param upstreamRetryAfter the upstream's {@code Retry-After}, or null: sent on (in seconds) and
     *     shown on the page only when it is valid ({@link RetryAfter}); otherwise a {@code 503} gets the
     *     gateway's own
     * @param route the route's path
     * @throws IOException if the client connection fails while answering
     */
    public void sendIntercepted(HttpServletRequest request, HttpServletResponse response, int upstreamStatus,
            String proxyStatus, String upstreamRetryAfter, String route) throws IOException {
        // For a container's error page, which tells the upstream's answer from the gateway's own failures.
        request.setAttribute(FailureAttributes.UPSTREAM_STATUS, upstreamStatus);
        request.setAttribute(FailureAttributes.ROUTE, route);
        response.reset();
        response.setHeader(ProxyStatus.HEADER, proxyStatus);
        Long seconds = RetryAfter.seconds(upstreamRetryAfter, clock);
        if (seconds != null) {
            // One value for the header and the page: what the upstream said, in seconds, never its raw text.
            response.setHeader(RETRY_AFTER, Long.toString(seconds));
        }
        answer(request, response, new Answer(upstreamStatus, null, upstreamStatus,
                seconds != null ? seconds : retryAfterSeconds(), route), false);
    }

    /**
     * Answers an error of the client's (such as {@code 400} or {@code 408}): a page with no failure
     * record, since no upstream is to blame.
     *
     * @param request the client request
     * @param response the response to it
     * @param status the status
     * @throws IOException if the client connection fails while answering
     */
    public void sendClientError(HttpServletRequest request, HttpServletResponse response, int status)
            throws IOException {
        // A caller that must close the connection after this answer says so first; that survives the reset.
        boolean close = "close".equalsIgnoreCase(response.getHeader("Connection"));
        response.reset();
        if (close) {
            response.setHeader("Connection", "close");
        }
        if (status == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", ALLOWED_METHODS);
        }
        answer(request, response, new Answer(status, null, null, retryAfterSeconds(), null), false);
    }

    /**
     * Renders the page of the container's error dispatch, from the request attributes the
     * container and the gateway set: what {@code ErrorPageServlet} serves.
     *
     * @param request the dispatched request
     * @param response the response to it
     * @throws IOException if the client connection fails while answering
     */
    public void sendDispatched(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object upstreamStatus = request.getAttribute(FailureAttributes.UPSTREAM_STATUS);
        Object route = request.getAttribute(FailureAttributes.ROUTE);
        UpstreamFailure failure = FailureAttributes.get(request).orElse(null);
        Long retryAfter = RetryAfter.seconds(response.getHeader(RETRY_AFTER), clock);
        write(request, response, new Answer(code instanceof Integer ? (Integer) code : response.getStatus(), failure,
                upstreamStatus instanceof Integer ? (Integer) upstreamStatus : null,
                retryAfter != null ? retryAfter : retryAfterSeconds(), route instanceof String ? (String) route : null),
                false);
    }

    /** @return the latest diagnosis of the failure's upstream; null for none */
    private DiagnosisSummary diagnosis(UpstreamFailure failure) {
        if (failure == null || failure.route().isEmpty() || failure.upstream().isEmpty()) {
            return null;
        }
        return diagnoses.find(failure.route().get(), failure.upstream().get()).orElse(null);
    }

    /** What one answer says. */
    private record Answer(int status, UpstreamFailure failure, Integer upstreamStatus, long retryAfterSeconds,
            String route) {
    }

    /**
     * @param nonBlocking whether the client's stream is in non-blocking mode (an upstream body had
     *     begun to be buffered): the container's error dispatch cannot write there, the gateway does
     */
    private void answer(HttpServletRequest request, HttpServletResponse response, Answer answer, boolean nonBlocking)
            throws IOException {
        UnreadBodies.settle(request, response);
        if (GrpcAnswers.isGrpc(request)) {
            // A gRPC client reads neither a page nor a status line: its answer is a gRPC status, whatever the dispatch.
            setCommonHeaders(response, answer);
            GrpcAnswers.write(request, response, answer.status(), grpcMessage(request, answer));
            return;
        }
        if (dispatch == Dispatch.CONTAINER && !nonBlocking) {
            setCommonHeaders(response, answer);
            response.sendError(answer.status(), visitorMessage(answer));
            return;
        }
        write(request, response, answer, nonBlocking);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, Answer answer, boolean nonBlocking)
            throws IOException {
        boolean operator = isOperator(request);
        PageRequest page = new PageRequest(answer.failure(), answer.status(),
                ContentNegotiation.choose(request.getHeader("Accept")),
                PageLanguage.choose(request.getHeader("Accept-Language")), operator,
                answer.upstreamStatus(), answer.retryAfterSeconds(), operator ? diagnosis(answer.failure()) : null);
        RenderedPage rendered = pages.rendererFor(answer.route()).render(page);
        ServletOutputStream output = response.getOutputStream();
        response.setStatus(answer.status());
        setCommonHeaders(response, answer);
        pageHeaders(rendered).forEach(response::setHeader);
        byte[] body = rendered.bytes();
        response.setContentLength(body.length);
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        try {
            output.write(body);
        } catch (IllegalStateException notReady) {
            if (!nonBlocking) {
                throw notReady;
            }
            // Jetty keeps the stream non-blocking after the reset, and a write of the upstream's was still under
            // way: nothing more can be said, aborting says it. (Tomcat's reset makes the stream blocking again:
            // the write above simply blocks.)
            response.sendError(-1);
        }
    }

    /**
     * A page for an error the server found before any servlet ran, such as a request it could not
     * parse: what to send, for any response API. The parser's reason is not shown: it echoes what
     * the client sent.
     *
     * @param status the status, such as 400, 414 or 431
     * @param accept the request's {@code Accept}, or null
     * @param acceptLanguage the request's {@code Accept-Language}, or null
     * @return the header fields and the body
     */
    public ServerErrorPage serverErrorPage(int status, String accept, String acceptLanguage) {
        RenderedPage rendered = pages.renderer().render(new PageRequest(null, status, ContentNegotiation.choose(accept),
                PageLanguage.choose(acceptLanguage), false));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CACHE_CONTROL, NO_STORE);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.putAll(pageHeaders(rendered));
        return new ServerErrorPage(headers, rendered.bytes());
    }

    /**
     * What {@link #serverErrorPage} answers.
     *
     * @param headers header fields to set, in order
     * @param body the page
     */
    public record ServerErrorPage(Map<String, String> headers, byte[] body) {
    }

    /** @return the header fields that describe a rendered page */
    private static Map<String, String> pageHeaders(RenderedPage rendered) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", rendered.contentType());
        if (rendered.contentType().startsWith("text/html")) {
            headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        headers.put("Content-Language", rendered.language());
        headers.put("Vary", "Accept, Accept-Language");
        return headers;
    }

    private static void setCommonHeaders(HttpServletResponse response, Answer answer) {
        response.setHeader(CACHE_CONTROL, NO_STORE);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (answer.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE && !response.containsHeader(RETRY_AFTER)) {
            response.setHeader(RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
    }

    /**
     * @return a gRPC answer's {@code grpc-message}: what a visitor may read; for the operator view
     *     also why, and the exception chain
     */
    private String grpcMessage(HttpServletRequest request, Answer answer) {
        String visitor = visitorMessage(answer);
        String message = visitor != null ? visitor : "The gateway answered HTTP " + answer.status() + ".";
        UpstreamFailure failure = answer.failure();
        if (failure == null || !isOperator(request)) {
            return message;
        }
        return message + " " + failure.reason() + (failure.detail() == null || failure.detail().isEmpty() ? ""
                : ": " + failure.detail());
    }

    /** @return what a visitor may read: the kind of failure and the incident, no addresses or exception text */
    private static String visitorMessage(Answer answer) {
        UpstreamFailure failure = answer.failure();
        if (failure == null) {
            return answer.upstreamStatus() != null ? "The upstream service answered " + answer.upstreamStatus() + "."
                    : null;
        }
        if (failure.cause() == FailureCause.GATEWAY_STOPPING) {
            return "The gateway is shutting down and ended the request (" + failure.type().token() + "). Incident "
                    + failure.incident() + ".";
        }
        return "The gateway could not get a response from the upstream service (" + failure.type().token()
                + "). Incident " + failure.incident() + ".";
    }
}
