package io.gatewise.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.upstream.Endpoint;
import java.util.Random;
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
    void encodedSlashInARoutePathStaysInsideItsSegment() {
        RouteTable table = table("/files%2Fpublic/", "/files/");

        assertThat(matched(table, "/files%2Fpublic/a")).isEqualTo("/files%2Fpublic/");
        assertThat(matched(table, "/files/public/a")).isEqualTo("/files/");
        assertThat(matched(table, "/files%2Fpublicity")).isNull();
    }

    @Test
    void deepAndShallowRoutesAmongTenThousandMatchTheirOwnPaths() {
        String[] paths = new String[10_000];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = i % 2 == 0 ? "/svc-" + i + "/" : "/svc-" + (i - 1) + "/api/v" + i + "/";
        }
        RouteTable table = table(paths);

        assertThat(matched(table, "/svc-1234/api/v1235/users/7")).isEqualTo("/svc-1234/api/v1235/");
        assertThat(matched(table, "/svc-1234/api/v1237/users")).isEqualTo("/svc-1234/");
        assertThat(matched(table, "/svc-9998")).isEqualTo("/svc-9998/");
        assertThat(matched(table, "/svc-9999/x")).isNull();
        assertThat(table.route("/svc-4242/api/v4243/")).map(route -> route.config().path())
                .contains("/svc-4242/api/v4243/");
    }

    @Test
    void routeIsFoundByItsPathExactlyAsConfigured() {
        RouteTable table = table("/api/", "/static");

        assertThat(table.route("/api/")).map(route -> route.config().path()).contains("/api/");
        assertThat(table.route("/static")).map(route -> route.config().path()).contains("/static");
        assertThat(table.route("/api")).isEmpty();
        assertThat(table.route("/static/")).isEmpty();
    }

    @Test
    void matchesAsTheSegmentWalkOverAllPrefixesDoes() {
        String[] segments = {"a", "b", "ab", "%2F", "a%2Fb", "caf\u00e9", "", "x"};
        String[] paths = {"/a/", "/a/b", "/ab/a/", "/a%2Fb/", "/%2F/", "/caf%C3%A9/b", "/b/b/b/"};
        RouteTable withRoot = table(append(paths, "/"));
        RouteTable withoutRoot = table(paths);
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder();
            int depth = random.nextInt(5);
            for (int d = 0; d < depth; d++) {
                path.append('/').append(segments[random.nextInt(segments.length)]);
            }
            if (depth == 0 || random.nextInt(4) == 0) {
                path.append('/');
            }
            String request = path.toString();
            for (RouteTable table : new RouteTable[] {withRoot, withoutRoot}) {
                assertThat(matched(table, request)).as(request).isEqualTo(walkUp(table, request));
            }
        }
    }

    /** The longest prefix of whole segments that some route's decoded prefix equals: the plain definition. */
    private static String walkUp(RouteTable table, String decodedPath) {
        String best = null;
        int bestLength = -1;
        for (Route route : table.routes()) {
            String prefix = RoutePaths.segmentsDecoded(route.config().prefix());
            boolean matches = prefix.equals("/") || decodedPath.equals(prefix) || decodedPath.startsWith(prefix + "/");
            if (matches && prefix.length() > bestLength) {
                best = route.config().path();
                bestLength = prefix.length();
            }
        }
        return best;
    }

    private static String[] append(String[] paths, String path) {
        String[] all = java.util.Arrays.copyOf(paths, paths.length + 1);
        all[paths.length] = path;
        return all;
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
