package io.gatewise.bench;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.route.Route;
import io.gatewise.route.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.URIUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of finding a request's route at 10, 1,000 and 10,000 routes: the route table as it is
 * ({@code match}, a segment trie) beside the walk up the path through a hash map that it replaced
 * ({@code walkUp}), for paths that hit a deep route, a shallow one, or none. {@code byPath} and
 * {@code byPathScan} find a route by its configured path, as the admin API, the upstream-state
 * gauges and a reload do, now and before (a scan of every route).
 *
 * <p>Run: {@code java -jar src/bench/jmh/target/benchmarks.jar RouteLookup}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteLookupBenchmark {
    /** Which routes the requests reach. */
    public enum Kind {
        /** Three segments of route, more of path: {@code /svc-N/api/v2/users/123}. */
        DEEP,
        /** One segment of route: {@code /svc-N/health}. */
        SHALLOW,
        /** No route: {@code /unknown-N/x}. */
        MISS
    }

    private static final int PATHS = 1024;

    @Param({"10", "1000", "10000"})
    public int routes;

    @Param
    public Kind kind;

    private RouteTable table;
    private WalkUp walkUp;
    private String[] paths;
    private String[] configuredPaths;
    private int next;

    @Setup
    public void setUp() {
        GatewayConfig.Builder config = GatewayConfig.builder();
        List<String> configured = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            // Per service: its root, its API, a version of the API, and a static folder beside it.
            int service = i - i % 4;
            String path = switch (i % 4) {
                case 0 -> "/svc-" + service + "/";
                case 1 -> "/svc-" + service + "/api/";
                case 2 -> "/svc-" + service + "/api/v2/";
                default -> "/static-" + service + "/";
            };
            configured.add(path);
            config.route(RouteConfig.builder().path(path).upstream("http://127.0.0.1:" + (9000 + i % 50)).build());
        }
        table = RouteTable.of(config.build());
        walkUp = new WalkUp(table.routes());
        SplittableRandom random = new SplittableRandom(15);
        configuredPaths = new String[PATHS];
        for (int i = 0; i < PATHS; i++) {
            configuredPaths[i] = configured.get(random.nextInt(configured.size()));
        }
        paths = new String[PATHS];
        for (int i = 0; i < PATHS; i++) {
            int service = random.nextInt(Math.max(1, routes / 4)) * 4;
            paths[i] = switch (kind) {
                case DEEP -> "/svc-" + service + "/api/v2/users/" + random.nextInt(1000);
                case SHALLOW -> "/svc-" + service + "/health";
                case MISS -> "/unknown-" + service + "/x";
            };
        }
        for (String path : paths) {
            if (table.match(path) != walkUp.match(path)) {
                throw new IllegalStateException("the trie and the walk-up disagree on " + path);
            }
        }
    }

    /** @return the route of the next path, through the route table's trie */
    @Benchmark
    public Route match() {
        return table.match(paths[next++ & (PATHS - 1)]);
    }

    /** @return the route of the next path, through the walk up a hash map */
    @Benchmark
    public Route walkUp() {
        return walkUp.match(paths[next++ & (PATHS - 1)]);
    }

    /** @return a route by its configured path, as the route table finds it */
    @Benchmark
    public Optional<Route> byPath() {
        return table.route(configuredPaths[next++ & (PATHS - 1)]);
    }

    /** @return a route by its configured path, through a scan of every route */
    @Benchmark
    public Optional<Route> byPathScan() {
        String path = configuredPaths[next++ & (PATHS - 1)];
        return table.routes().stream().filter(route -> route.config().path().equals(path)).findFirst();
    }

    /**
     * The route table's match before the trie, for comparison: the decoded prefixes in a hash map,
     * the path cut back one segment at a time until a prefix is found.
     */
    static final class WalkUp {
        private final Map<String, Route> byPrefix = new HashMap<>();

        WalkUp(List<Route> routes) {
            for (Route route : routes) {
                byPrefix.put(URIUtil.decodePath(route.config().prefix()), route);
            }
        }

        Route match(String decodedPath) {
            String path = decodedPath.isEmpty() ? "/" : decodedPath;
            while (true) {
                if (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                Route route = byPrefix.get(path);
                if (route != null || "/".equals(path)) {
                    return route;
                }
                int slash = path.lastIndexOf('/');
                path = slash <= 0 ? "/" : path.substring(0, slash);
            }
        }
    }
}
