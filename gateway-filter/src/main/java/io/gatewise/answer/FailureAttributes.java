package io.gatewise.answer;

import io.gatewise.failure.UpstreamFailure;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * The request attributes that carry an upstream failure. They are set before the container's
 * error dispatch, so a {@code web.xml} {@code <error-page>}, a JSP or another filter can read them;
 * and for failures after the response was committed too, when no error page can be shown.
 *
 * <table>
 * <caption>Request attributes</caption>
 * <tr><th>name</th><th>type</th><th>value</th></tr>
 * <tr><td>{@value #FAILURE}</td><td>{@link UpstreamFailure}</td><td>the whole record</td></tr>
 * <tr><td>{@value #TYPE}</td><td>String</td><td>the RFC 9209 error type, such as {@code connection_refused}</td></tr>
 * <tr><td>{@value #CAUSE}</td><td>String</td><td>the cause, such as {@code upstream_down}</td></tr>
 * <tr><td>{@value #STATUS}</td><td>Integer</td><td>the status sent to the client, such as 502</td></tr>
 * <tr><td>{@value #PHASE}</td><td>String</td><td>how far the exchange came, such as {@code connect}</td></tr>
 * <tr><td>{@value #UPSTREAM}</td><td>String</td><td>the upstream as {@code host:port}, if one was chosen</td></tr>
 * <tr><td>{@value #ROUTE}</td><td>String</td><td>the route's path, if one matched</td></tr>
 * <tr><td>{@value #INCIDENT}</td><td>String</td><td>the incident id the client was given</td></tr>
 * <tr><td>{@value #ATTEMPTS}</td><td>Integer</td><td>how many upstreams were tried</td></tr>
 * <tr><td>{@value #ELAPSED}</td><td>Long</td><td>milliseconds from the start of the exchange to the failure</td></tr>
 * <tr><td>{@value #UPSTREAM_STATUS}</td><td>Integer</td><td>set instead of the others when the route intercepts an
 *     upstream's own error status and the gateway renders its page: the upstream's status</td></tr>
 * <tr><td>{@value #COMMITTED}</td><td>Boolean</td><td>whether the response head was already sent: then the
 *     client connection was aborted instead of answered</td></tr>
 * </table>
 *
 * <p>Only {@value #FAILURE}, {@value #UPSTREAM} and the record's detail identify infrastructure:
 * render them to operators, not visitors.
 */
public final class FailureAttributes {
    /** The {@link UpstreamFailure} record. */
    public static final String FAILURE = "io.gatewise.failure";
    /** The RFC 9209 error type token. */
    public static final String TYPE = "io.gatewise.failure.type";
    /** The cause token. */
    public static final String CAUSE = "io.gatewise.failure.cause";
    /** The status sent to the client. */
    public static final String STATUS = "io.gatewise.failure.status";
    /** The phase token. */
    public static final String PHASE = "io.gatewise.failure.phase";
    /** The upstream as {@code host:port}. */
    public static final String UPSTREAM = "io.gatewise.failure.upstream";
    /** The route's path. */
    public static final String ROUTE = "io.gatewise.failure.route";
    /** The incident id. */
    public static final String INCIDENT = "io.gatewise.failure.incident";
    /** How many upstreams were tried. */
    public static final String ATTEMPTS = "io.gatewise.failure.attempts";
    /** Milliseconds from the start of the exchange to the failure. */
    public static final String ELAPSED = "io.gatewise.failure.elapsed";
    /** The upstream's own error status, when the gateway intercepted it to render its page. */
    public static final String UPSTREAM_STATUS = "io.gatewise.upstream.status";
    /** Whether the response head had been sent already. */
    public static final String COMMITTED = "io.gatewise.failure.committed";

    private FailureAttributes() {
    }

    /**
     * Sets every attribute of this class from a failure.
     *
     * @param request the request that failed
     * @param failure the failure
     */
    public static void set(ServletRequest request, UpstreamFailure failure) {
        request.setAttribute(FAILURE, failure);
        request.setAttribute(TYPE, failure.type().token());
        request.setAttribute(CAUSE, failure.cause().token());
        request.setAttribute(STATUS, failure.status());
        request.setAttribute(PHASE, failure.phase().token());
        failure.upstream().ifPresent(upstream -> request.setAttribute(UPSTREAM, upstream));
        failure.route().ifPresent(route -> request.setAttribute(ROUTE, route));
        request.setAttribute(INCIDENT, failure.incident());
        request.setAttribute(ATTEMPTS, failure.attemptCount());
        request.setAttribute(ELAPSED, failure.elapsed().toMillis());
        request.setAttribute(COMMITTED, failure.responseCommitted());
    }

    /**
     * @param request a request
     * @return the failure recorded on it, if any
     */
    public static Optional<UpstreamFailure> get(ServletRequest request) {
        Object failure = request.getAttribute(FAILURE);
        return failure instanceof UpstreamFailure ? Optional.of((UpstreamFailure) failure) : Optional.empty();
    }
}
