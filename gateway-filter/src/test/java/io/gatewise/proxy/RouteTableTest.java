package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.upstream.Endpoint;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static RouteTable table(String... paths) {
        GatewayConfig.Builder config = GatewayConfig.builder();
        for (int i = 0; i < paths.length; i++) {
            config.route(RouteConfig.builder().path(paths[i]).upstream("http://127.0.0.1:" + (9000 + i)).build());
        }
        return RouteTable.of(config.build());
    }

    private static String matched(RouteTable table, String path) {
        Route route = table.match(path);
        return route == null ? null : route.config().path();
    }

    @Test
    void longestPrefixWins() {
        RouteTable table = table("/api/", "/api/admin/", "/");

        assertThat(matched(table, "/api/admin/users")).isEqualTo("/api/admin/");
        assertThat(matched(table, "/api/admin")).isEqualTo("/api/admin/");
        assertThat(matched(table, "/api/users")).isEqualTo("/api/");
        assertThat(matched(table, "/api")).isEqualTo("/api/");
        assertThat(matched(table, "/other")).isEqualTo("/");
        assertThat(matched(table, "/")).isEqualTo("/");
    }

    @Test
    void prefixMatchesWholeSegmentsOnly() {
        RouteTable table = table("/api");

        assertThat(matched(table, "/apiary")).isNull();
        assertThat(matched(table, "/api/")).isEqualTo("/api");
        assertThat(matched(table, "/api//x")).isEqualTo("/api");
    }

    @Test
    void noRouteMatchesWithoutARootRoute() {
        RouteTable table = table("/api/", "/static/");

        assertThat(matched(table, "/")).isNull();
        assertThat(matched(table, "/admin")).isNull();
        assertThat(matched(table, "")).isNull();
    }

    @Test
    void percentEncodedPrefixesMatchTheirDecodedForm() {
        RouteTable table = table("/caf%C3%A9/");

        assertThat(matched(table, "/café/menu")).isEqualTo("/caf%C3%A9/");
    }

    @Test
    void targetKeepsRawPathAndQueryAndAppliesBasePathAndStripPrefix() {
        Route plain = new Route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:9001").build(),
                RandomGenerator.of("L64X128MixRandom"), java.time.Clock.systemUTC());
        Route stripped = new Route(RouteConfig.builder().path("/svc/v1/").stripPrefix(true)
                .upstream("https://127.0.0.1:9443/base/").build(), RandomGenerator.of("L64X128MixRandom"),
                java.time.Clock.systemUTC());
        Endpoint plainUpstream = plain.pool().lease(Set.of()).endpoint();
        Endpoint strippedUpstream = stripped.pool().lease(Set.of()).endpoint();

        assertThat(plain.target(plainUpstream, "/api/a%20b", "q=1&r=%2F")).isEqualTo("http://127.0.0.1:9001/api/a%20b?q=1&r=%2F");
        assertThat(stripped.target(strippedUpstream, "/svc/v1/users/7", null)).isEqualTo("https://127.0.0.1:9443/base/users/7");
        assertThat(stripped.target(strippedUpstream, "/svc/v1", "x=1")).isEqualTo("https://127.0.0.1:9443/base/?x=1");
        assertThat(stripped.target(strippedUpstream, "/%73vc/v1/users", null)).isEqualTo("https://127.0.0.1:9443/base/users");
    }
}
