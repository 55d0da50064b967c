package io.gatewise.bench;

import io.gatewise.config.ConfigSource;
import io.gatewise.config.GatewayConfig;
import io.gatewise.server.GatewayServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a configuration of N routes costs at start, on the launcher's path: read and check the
 * YAML file ({@code ConfigSource.file(..).load()}), build the server and its gateway, start it
 * (on 127.0.0.1, port 0), then the heap it holds after a full GC, less the heap held before the
 * file was read. One size per JVM, so one size's warm-up does not flatter the next. One metrics
 * scrape and one reload of the same file are timed too: both grow with the routes.
 *
 * <p>Run: {@code java -Xmx1g -cp src/bench/jmh/target/benchmarks.jar io.gatewise.bench.RouteScaleStartup 10000}
 * prints one line: {@code routes=10000 metrics=true yamlKiB=... loadMs=... buildMs=... startMs=...
 * totalMs=... heapMiB=... scrapeMs=... scrapeKiB=... reloadMs=...}.
 */
public final class RouteScaleStartup {
    private RouteScaleStartup() {
    }

    /**
     * @param args the number of routes (default 1000); then {@code no-metrics} to turn metrics off,
     *     {@code rich} for routes with more settings
     * @throws Exception if the gateway cannot start
     */
    public static void main(String[] args) throws Exception {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<String> options = List.of(args).subList(Math.min(1, args.length), args.length);
        boolean metrics = !options.contains("no-metrics");
        boolean rich = options.contains("rich");
        Path file = Files.createTempFile("gatewise-routes-" + routes + "-", ".yaml");
        try {
            Files.writeString(file, yaml(routes, metrics, rich), StandardCharsets.UTF_8);
            long before = heapAfterGc();
            long t0 = System.nanoTime();
            ConfigSource source = ConfigSource.file(file);
            GatewayConfig config = source.load().config();
            long t1 = System.nanoTime();
            GatewayServer server = GatewayServer.builder(config).configSource(source).stopAtShutdown(false).build();
            long t2 = System.nanoTime();
            server.start();
            long t3 = System.nanoTime();
            long held = heapAfterGc() - before;
            long s0 = System.nanoTime();
            int scraped = server.gateway().metrics().prometheusText().orElse("").length();
            long s1 = System.nanoTime();
            boolean reloaded = server.gateway().reloadFromSource().success();
            long s2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "routes=%d metrics=%b rich=%b yamlKiB=%d loadMs=%.0f buildMs=%.0f"
                    + " startMs=%.0f totalMs=%.0f heapMiB=%.1f scrapeMs=%.0f scrapeKiB=%d reloadMs=%.0f%s%n", routes, metrics,
                    rich, Files.size(file) / 1024, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t3 - t0), held / 1048576.0,
                    ms(s1 - s0), scraped / 1024, ms(s2 - s1), reloaded ? "" : " (reload failed)");
            server.stop();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Services with a root, an API and a versioned API each, over 50 upstream addresses; rich
     * routes have two upstreams, timeouts and retries each, as a real config's might.
     */
    static String yaml(int routes, boolean metrics, boolean rich) {
        StringBuilder yaml = new StringBuilder(routes * 80);
        yaml.append("gateway:\n  name: scale\n  host: 127.0.0.1\n  port: 0\n  metrics: ").append(metrics)
                .append("\nroutes:\n");
        for (int i = 0; i < routes; i++) {
            int service = i - i % 3;
            String path = switch (i % 3) {
                case 0 -> "/svc-" + service + "/";
                case 1 -> "/svc-" + service + "/api/";
                default -> "/svc-" + service + "/api/v2/";
            };
            yaml.append("  - path: ").append(path).append("\n    upstreams:\n      - url: http://127.0.0.1:")
                    .append(9000 + i % 50).append('\n');
            if (rich) {
                yaml.append("      - url: http://127.0.0.1:").append(9050 + i % 50).append('\n')
                        .append("    timeouts: { connect: 2s, response: 30s }\n    retries: { maxAttempts: 2 }\n");
            }
        }
        return yaml.toString();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
