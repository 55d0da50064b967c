package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole gateway configuration: the gateway's own settings and its routes.
 *
 * <p>Built in code with {@link #builder()}, or read from YAML with {@link ConfigLoader}; both
 * produce the same immutable object and apply the same checks.
 *
 * @param gateway the gateway's own settings (default {@link ServerConfig#defaults()})
 * @param routes the routes, in configured order, never empty, each path once
 * @param errorPages the error page settings (default {@link ErrorPagesConfig#defaults()})
 * @param admin the admin listener; empty (the default) for none
 * @param alerts the alert rules and webhooks; empty (the default) for no alerts
 * @param tracing OpenTelemetry tracing (default {@link TracingConfig#defaults()}: off)
 */
@JsonDeserialize(builder = GatewayConfig.Builder.class)
public record GatewayConfig(ServerConfig gateway, List<RouteConfig> routes, ErrorPagesConfig errorPages,
        Optional<AdminConfig> admin, Optional<AlertsConfig> alerts, TracingConfig tracing) {
    /** Copies the routes; the values are checked by the {@link Builder}, which is how to make one. */
    public GatewayConfig {
        routes = List.copyOf(routes);
    }

    /** @return a builder holding this configuration, to derive a changed copy */
    public Builder toBuilder() {
        Builder builder = builder().gateway(gateway).routes(routes).errorPages(errorPages).tracing(tracing);
        admin.ifPresent(builder::admin);
        alerts.ifPresent(builder::alerts);
        return builder;
    }

    @Override
    public String toString() {
        return "gateway " + gateway + " with " + routes;
    }

    /** @return an empty builder; at least one route is required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GatewayConfig}; route paths must be unique. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private ServerConfig gateway = ServerConfig.defaults();
        private final List<RouteConfig> routes = new ArrayList<>();
        private ErrorPagesConfig errorPages = ErrorPagesConfig.defaults();
        private AdminConfig admin;
        private AlertsConfig alerts;
        private TracingConfig tracing = TracingConfig.defaults();

        private Builder() {
        }

        /** Sets {@link GatewayConfig#admin()}. */
        @JsonProperty("admin")
        public Builder admin(AdminConfig admin) {
            this.admin = ConfigException.requireSection("admin", admin, "{ port: 9901, token: ... }");
            return this;
        }

        /** Removes the admin section: no admin listener. */
        public Builder withoutAdmin() {
            this.admin = null;
            return this;
        }

        /** Sets {@link GatewayConfig#alerts()}. */
        @JsonProperty("alerts")
        public Builder alerts(AlertsConfig alerts) {
            this.alerts = ConfigException.requireSection("alerts", alerts, "{ webhooks: [{ url: ... }] }");
            return this;
        }

        /** Removes the alerts section: no alert rules run. */
        public Builder withoutAlerts() {
            this.alerts = null;
            return this;
        }

        /** Sets {@link GatewayConfig#tracing()}. */
        @JsonProperty("tracing")
        public Builder tracing(TracingConfig tracing) {
            this.tracing = ConfigException.requireSection("tracing", tracing, "{ enabled: true, endpoint:"
                    + " http://127.0.0.1:4318/v1/traces }");
            return this;
        }

        /** Sets {@link GatewayConfig#errorPages()}. */
        @JsonProperty("errorPages")
        public Builder errorPages(ErrorPagesConfig errorPages) {
            this.errorPages = ConfigException.requireSection("errorPages", errorPages, "{ contact: ... }");
            return this;
        }

        /** Sets {@link GatewayConfig#gateway()}. */
        @JsonProperty("gateway")
        public Builder gateway(ServerConfig gateway) {
            this.gateway = ConfigException.requireSection("gateway", gateway, "{ name: edge-1 }");
            return this;
        }

        /** Replaces {@link GatewayConfig#routes()}. */
        @JsonProperty("routes")
        public Builder routes(List<RouteConfig> routes) {
            if (routes == null) {
                throw ConfigException.invalid("routes", "empty (expected: a list of routes, each with a path"
                        + " and upstreams)");
            }
            this.routes.clear();
            routes.forEach(this::route);
            return this;
        }

        /** Adds a route. */
        public Builder route(RouteConfig route) {
            if (route == null) {
                throw ConfigException.invalid("routes", "an empty entry (expected: a route with a path and"
                        + " upstreams)");
            }
            routes.add(route);
            return this;
        }

        /**
         * @return the configuration
         * @throws ConfigException if there is no route, or two routes have the same path
         */
        public GatewayConfig build() {
            if (routes.isEmpty()) {
                throw ConfigException.invalid("routes", "missing (expected: at least one route with a path"
                        + " and upstreams)");
            }
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < routes.size(); i++) {
                Integer first = seen.putIfAbsent(routes.get(i).prefix(), i);
                if (first != null) {
                    throw ConfigException.invalid("routes[" + i + "].path", ConfigValues.quote(routes.get(i).path())
                            + " duplicates routes[" + first + "].path (expected: each path once)");
                }
            }
            return new GatewayConfig(gateway, routes, errorPages, Optional.ofNullable(admin),
                    Optional.ofNullable(alerts), tracing);
        }
    }
}
