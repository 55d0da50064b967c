package io.gatewise.metrics;

/**
 * The gateway's meter names and label keys: a contract dashboards and alert rules rely on. Names
 * are Micrometer's dotted ones; Prometheus renders {@code gatewise.proxy.errors} as
 * {@code gatewise_proxy_errors_total} and the timer {@code gatewise.requests} as
 * {@code gatewise_requests_seconds} ({@code _count}, {@code _sum}, {@code _bucket}, and
 * {@code gatewise_requests_seconds_max}).
 */
public final class MetricNames {
    /** Timer of every request the gateway answered, by {@link #ROUTE}, {@link #METHOD}, {@link #STATUS}. */
    public static final String REQUESTS = "gatewise.requests";
    /**
     * Counter of requests the gateway answered with its own error, by {@link #ROUTE}, {@link #UPSTREAM},
     * {@link #ERROR_TYPE}, {@link #CAUSE}, {@link #PHASE}.
     */
    public static final String PROXY_ERRORS = "gatewise.proxy.errors";
    /** Counter of failed attempts, retried or not, by {@link #ROUTE}, {@link #UPSTREAM}, {@link #ERROR_TYPE}. */
    public static final String UPSTREAM_ATTEMPT_FAILURES = "gatewise.upstream.attempt.failures";
    /** Counter of retries, by {@link #ROUTE} and {@link #RESULT}: how each retry's attempt ended. */
    public static final String RETRIES = "gatewise.retries";
    /** Counter of retries the route's retry budget refused, by {@link #ROUTE}. */
    public static final String RETRY_BUDGET_EXHAUSTED = "gatewise.retry.budget.exhausted";
    /** Gauge, 1 for an upstream's current state and 0 for the others, by {@link #ROUTE}, {@link #UPSTREAM}, {@link #STATE}. */
    public static final String UPSTREAM_STATE = "gatewise.upstream.state";
    /** Counter of config reloads, by {@link #RESULT} ({@code success}, {@code failure}). */
    public static final String CONFIG_RELOADS = "gatewise.config.reloads";
    /** Gauge of the last successful reload's time, in seconds since the epoch (Prometheus adds {@code _seconds}). */
    public static final String CONFIG_LAST_RELOAD_SUCCESS = "gatewise.config.last.reload.success.timestamp";
    /**
     * Counter of alert notifications to webhooks, by {@link #WEBHOOK} and {@link #RESULT}:
     * {@code success}, {@code failure} (every attempt failed), {@code dropped} (the queue was full).
     */
    public static final String ALERT_DELIVERIES = "gatewise.alert.deliveries";

    /**
     * Counter of connections the traffic listener turned away or cut short, by {@link #REASON}:
     * {@code max_connections}, {@code max_connections_per_client}, {@code request_head_timeout}.
     */
    public static final String CONNECTIONS_REJECTED = "gatewise.connections.rejected";
    /** Spans the gateway's own exporter dropped ({@code gatewise_tracing_spans_dropped_total}). */
    public static final String TRACING_SPANS_DROPPED = "gatewise.tracing.spans.dropped";

    /**
     * Gauge of when each certificate the gateway's own TLS listeners serve ends, in seconds since
     * the epoch, by {@link #LISTENER} and {@link #SUBJECT} (Prometheus:
     * {@code gatewise_tls_certificate_expiry_timestamp_seconds}). Updated whenever a listener loads
     * its certificates; one series per configured certificate.
     */
    public static final String TLS_CERTIFICATE_EXPIRY = "gatewise.tls.certificate.expiry.timestamp";

    /**
     * Gauge of the WebSocket sessions open now, by {@link #ROUTE} (Prometheus:
     * {@code gatewise_websocket_sessions}); one series per route that carries WebSocket.
     */
    public static final String WEBSOCKET_SESSIONS = "gatewise.websocket.sessions";

    /**
     * Counter of WebSocket sessions that ended, by {@link #ROUTE}, {@link #CODE} and
     * {@link #INITIATOR} (Prometheus: {@code gatewise_websocket_closes_total}).
     */
    public static final String WEBSOCKET_CLOSES = "gatewise.websocket.closes";

    /** The close code the gateway sent because of the close, such as {@code 1000} or {@code 1014}. */
    public static final String CODE = "code";

    /** Who ended a WebSocket session: {@code client}, {@code upstream} or {@code gateway}. */
    public static final String INITIATOR = "initiator";

    /** The listener's name, such as {@code tls}. */
    public static final String LISTENER = "listener";
    /** A served certificate's leaf subject: its common name, else its whole distinguished name. */
    public static final String SUBJECT = "subject";

    /** Why a connection was rejected. */
    public static final String REASON = "reason";
    /** The route's path as configured, such as {@code /api/}; {@link #NONE} for a request no route matched. */
    public static final String ROUTE = "route";
    /** The request method: {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code DELETE}, {@code PATCH}, {@code OPTIONS}, {@code TRACE}, {@code CONNECT}, else {@code other}. */
    public static final String METHOD = "method";
    /** The status the client got, such as {@code 200} or {@code 502}. */
    public static final String STATUS = "status";
    /** The upstream's URL as configured, such as {@code http://10.0.0.5:8080}; {@link #NONE} when no upstream was tried. */
    public static final String UPSTREAM = "upstream";
    /** The RFC 9209 error type, such as {@code connection_refused}; for an error status a route retries on, {@code received_status_NNN}. */
    public static final String ERROR_TYPE = "error_type";
    /** The failure's cause, such as {@code maintenance} or {@code gateway_stopping}; {@link #NONE} for none. */
    public static final String CAUSE = "cause";
    /** The phase it failed in, such as {@code connect} or {@code route}. */
    public static final String PHASE = "phase";
    /** How something ended: see {@link RetryResult}, and {@code success}/{@code failure} for reloads. */
    public static final String RESULT = "result";
    /** An upstream state: {@code healthy}, {@code ejected}, {@code unhealthy}, {@code circuit_open}, {@code draining}, {@code maintenance}. */
    public static final String STATE = "state";

    /** An alert webhook as {@code host:port} of its URL: never its path, query or secret. */
    public static final String WEBHOOK = "webhook";

    /** The value of a label that does not apply. */
    public static final String NONE = "-";

    private MetricNames() {
    }
}
