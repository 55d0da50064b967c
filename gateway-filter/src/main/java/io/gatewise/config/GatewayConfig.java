package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole gateway configuration: the gateway's own settings and its routes.
 *
 * <p>Built in code with {@link #builder()}, or read from YAML with {@link ConfigLoader}; both
 * produce the same immutable object and apply the same checks.
 */
@JsonDeserialize(builder = GatewayConfig.Builder.class)
public final class GatewayConfig {
    private final GatewaySettings gateway;
    private final List<RouteConfig> routes;
    private final ErrorPagesConfig errorPages;

    private GatewayConfig(Builder builder) {
        this.gateway = builder.gateway;
        this.routes = List.copyOf(builder.routes);
        this.errorPages = builder.errorPages;
    }

    /** @return an empty builder; at least one route is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the gateway's own settings */
    public GatewaySettings gateway() {
        return gateway;
    }

    /** @return the routes, in configured order, never empty */
    public List<RouteConfig> routes() {
        return routes;
    }

    /** @return the error page settings */
    public ErrorPagesConfig errorPages() {
        return errorPages;
    }

    /**
     * @return a builder holding this configuration, to derive a changed copy
     */
    public Builder toBuilder() {
        return builder().gateway(gateway).routes(routes).errorPages(errorPages);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GatewayConfig && gateway.equals(((GatewayConfig) other).gateway)
                && routes.equals(((GatewayConfig) other).routes)
                && errorPages.equals(((GatewayConfig) other).errorPages);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * gateway.hashCode() + routes.hashCode()) + errorPages.hashCode();
    }

    @Override
    public String toString() {
        return "gateway " + gateway + " with " + routes;
    }

    /** Builds a {@link GatewayConfig}; route paths must be unique. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(setterVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE)
    public static final class Builder {
        private GatewaySettings gateway = GatewaySettings.defaults();
        private final List<RouteConfig> routes = new ArrayList<>();
        private ErrorPagesConfig errorPages = ErrorPagesConfig.defaults();

        private Builder() {
        }

        /**
         * @param errorPages the error page settings
         * @return this builder
         */
        @JsonProperty("errorPages")
        public Builder errorPages(ErrorPagesConfig errorPages) {
            this.errorPages = ConfigException.requireSection("errorPages", errorPages, "{ contact: ... }");
            return this;
        }

        /**
         * @param gateway the gateway's own settings
         * @return this builder
         */
        @JsonProperty("gateway")
        public Builder gateway(GatewaySettings gateway) {
            this.gateway = ConfigException.requireSection("gateway", gateway, "{ name: edge-1 }");
            return this;
        }

        /**
         * Replaces the routes.
         *
         * @param routes the routes
         * @return this builder
         */
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

        /**
         * Adds a route.
         *
         * @param route the route
         * @return this builder
         */
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
                    throw ConfigException.invalid("routes[" + i + "].path", "\"" + routes.get(i).path()
                            + "\" duplicates routes[" + first + "].path (expected: each path once)");
                }
            }
            return new GatewayConfig(this);
        }
    }
}
