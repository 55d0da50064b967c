package io.gatewise.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of one request the gateway could not serve from its upstream: what went wrong, where,
 * how far it got, and what the client was told.
 *
 * <p>{@link #detail()} holds operator detail (exception messages); it must not be shown to
 * visitors. Everything else is safe to log; addresses are shown to operators only.
 */
public final class UpstreamFailure {
    private final ProxyErrorType type;
    private final int status;
    private final FailureCause cause;
    private final Phase phase;
    private final String route;
    private final String upstream;
    private final Integer receivedStatus;
    private final Map<String, Object> parameters;
    private final List<Attempt> attempts;
    private final Duration elapsed;
    private final String incident;
    private final Instant time;
    private final String reason;
    private final String detail;
    private final boolean responseCommitted;
    private final String traceId;

    private UpstreamFailure(Builder builder) {
        this.type = Objects.requireNonNull(builder.type, "type");
        this.status = builder.status > 0 ? builder.status : type.status();
        this.cause = builder.cause != null ? builder.cause : type.cause();
        this.phase = Objects.requireNonNull(builder.phase, "phase");
        this.route = builder.route;
        this.upstream = builder.upstream;
        this.receivedStatus = builder.receivedStatus;
        this.parameters = Map.copyOf(builder.parameters);
        this.attempts = List.copyOf(builder.attempts);
        this.elapsed = builder.elapsed;
        this.incident = Objects.requireNonNull(builder.incident, "incident");
        this.time = builder.time;
        this.reason = builder.reason == null ? type.token() : builder.reason;
        this.detail = builder.detail == null ? "" : builder.detail;
        this.responseCommitted = builder.responseCommitted;
        this.traceId = builder.traceId;
    }

    /**
     * @param classification what the classifier concluded
     * @return a builder holding the classification's type, cause, phase, parameters and reason
     */
    public static Builder builder(Classification classification) {
        return new Builder().type(classification.type()).cause(classification.cause())
                .phase(classification.phase()).parameters(classification.parameters())
                .reason(classification.reason());
    }

    /** @return an empty builder; type, phase and incident are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the RFC 9209 error type */
    public ProxyErrorType type() {
        return type;
    }

    /** @return the status the client was (or would have been) sent */
    public int status() {
        return status;
    }

    /** @return the cause a person recognises */
    public FailureCause cause() {
        return cause;
    }

    /** @return the phase the exchange failed in */
    public Phase phase() {
        return phase;
    }

    /** @return the route's path, when a route was chosen */
    public Optional<String> route() {
        return Optional.ofNullable(route);
    }

    /** @return the upstream as {@code host:port}, when one was chosen */
    public Optional<String> upstream() {
        return Optional.ofNullable(upstream);
    }

    /** @return the status the upstream answered with, when it answered */
    public Optional<Integer> receivedStatus() {
        return Optional.ofNullable(receivedStatus);
    }

    /** @return the error type's RFC 9209 parameters; values are {@link String} or {@link Long} */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** @return every attempt, in order; the last one is this failure */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** @return how many attempts were made: at least one, also for a failure recorded without its attempts */
    public int attemptCount() {
        return Math.max(1, attempts.size());
    }

    /** @return time from the start of the exchange to the failure */
    public Duration elapsed() {
        return elapsed;
    }

    /** @return the incident id the client is given, to quote to an operator */
    public String incident() {
        return incident;
    }

    /** @return when it failed */
    public Instant time() {
        return time;
    }

    /** @return a short explanation for operators, such as {@code certificate expired} */
    public String reason() {
        return reason;
    }

    /** @return operator detail: the exception chain's messages. Never shown to visitors. */
    public String detail() {
        return detail;
    }

    /** @return whether the upstream may have received any of the request; decides retry safety */
    public boolean upstreamMayHaveSeenRequest() {
        return phase.upstreamMayHaveSeenRequest();
    }

    /**
     * @return whether the upstream's response had begun to reach the client (its head sent, or its
     *     body being written): then no error page was possible and the client connection was aborted
     */
    public boolean responseCommitted() {
        return responseCommitted;
    }

    /** @return the trace the failed request belongs to, 32 hex digits; empty when it is in none */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /**
     * @param traceId the trace the failed request belongs to (32 hex digits); empty for none
     * @return this failure in that trace: itself when it is in it already, or the id is empty
     */
    public UpstreamFailure inTrace(String traceId) {
        if (traceId.isEmpty() || traceId.equals(this.traceId)) {
            return this;
        }
        Builder copy = new Builder().type(type).status(status).cause(cause).phase(phase).route(route)
                .upstream(upstream).receivedStatus(receivedStatus).parameters(parameters).elapsed(elapsed)
                .incident(incident).time(time).reason(reason).detail(detail).responseCommitted(responseCommitted)
                .traceId(traceId);
        attempts.forEach(copy::attempt);
        return copy.build();
    }

    @Override
    public String toString() {
        return "UpstreamFailure[" + type.token() + " " + status + " " + cause.token() + " in " + phase.token()
                + (upstream == null ? "" : " at " + upstream) + ", incident " + incident + "]";
    }

    /** Builds an {@link UpstreamFailure}. */
    public static final class Builder {
        private ProxyErrorType type;
        private int status;
        private FailureCause cause;
        private Phase phase;
        private String route;
        private String upstream;
        private Integer receivedStatus;
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private final List<Attempt> attempts = new ArrayList<>();
        private Duration elapsed = Duration.ZERO;
        private String incident;
        private Instant time = Instant.now();
        private String reason;
        private String detail;
        private boolean responseCommitted;
        private String traceId;

        private Builder() {
        }

        /** @param type the error type @return this builder */
        public Builder type(ProxyErrorType type) {
            this.type = type;
            return this;
        }

        /** @param status the status sent instead of the type's recommended one @return this builder */
        public Builder status(int status) {
            this.status = status;
            return this;
        }

        /** @param cause the cause, when it differs from the type's usual one @return this builder */
        public Builder cause(FailureCause cause) {
            this.cause = cause;
            return this;
        }

        /** @param phase the phase @return this builder */
        public Builder phase(Phase phase) {
            this.phase = phase;
            return this;
        }

        /** @param route the route's path @return this builder */
        public Builder route(String route) {
            this.route = route;
            return this;
        }

        /** @param upstream the upstream as {@code host:port} @return this builder */
        public Builder upstream(String upstream) {
            this.upstream = upstream;
            return this;
        }

        /** @param receivedStatus the upstream's own status @return this builder */
        public Builder receivedStatus(Integer receivedStatus) {
            this.receivedStatus = receivedStatus;
            return this;
        }

        /** @param parameters RFC 9209 parameters to add @return this builder */
        public Builder parameters(Map<String, Object> parameters) {
            this.parameters.putAll(parameters);
            return this;
        }

        /** @param attempt an attempt, in order @return this builder */
        public Builder attempt(Attempt attempt) {
            this.attempts.add(attempt);
            return this;
        }

        /** @param elapsed time to failure @return this builder */
        public Builder elapsed(Duration elapsed) {
            this.elapsed = elapsed;
            return this;
        }

        /** @param incident the incident id @return this builder */
        public Builder incident(String incident) {
            this.incident = incident;
            return this;
        }

        /** @param time when it failed @return this builder */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /** @param reason a short explanation for operators @return this builder */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** @param detail operator detail @return this builder */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /** @param responseCommitted whether the response head had been sent @return this builder */
        public Builder responseCommitted(boolean responseCommitted) {
            this.responseCommitted = responseCommitted;
            return this;
        }

        /** @return the failure */
        /**
         * @param traceId the trace the failed request belongs to, 32 hex digits; null or empty for none
         * @return this builder
         */
        public Builder traceId(String traceId) {
            this.traceId = traceId == null || traceId.isEmpty() ? null : traceId;
            return this;
        }

        public UpstreamFailure build() {
            return new UpstreamFailure(this);
        }
    }
}
