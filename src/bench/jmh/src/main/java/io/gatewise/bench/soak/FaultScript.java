package io.gatewise.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The faults of the soak, one every second or two in an order fixed by the seed: upstreams killed
 * and started again, a name that changes what it resolves to, config reloads that add and remove a
 * route, maintenance and drain toggled through the admin API, and hostile clients beside the real
 * ones. Every action is counted, and whatever did not go as it should is kept for the report.
 */
final class FaultScript {
    /** Time windows during which a route is in maintenance, widened by the admin calls' own time. */
    static final class Windows {
        private final List<long[]> windows = new CopyOnWriteArrayList<>();
        private volatile long openSince = -1;

        void open(long nanos) {
            openSince = nanos;
        }

        void close(long nanos) {
            windows.add(new long[] {openSince, nanos});
            openSince = -1;
        }

        boolean overlaps(long from, long to) {
            long open = openSince;
            if (open >= 0 && to >= open) {
                return true;
            }
            return windows.stream().anyMatch(window -> from <= window[1] && to >= window[0]);
        }
    }

    private final Random random;
    private final GatewayProcess gateway;
    private final List<SoakUpstreams.Upstream> killable;
    private final Path hosts;
    private final String[] dnsAddresses;
    private final Path config;
    private final IntFunction<String> configWithExtraRoute;
    private final Windows maintenance;
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final org.eclipse.jetty.client.HttpClient probe;
    private final int drainable;
    private int dnsTarget;
    private int extraRoute = -1;
    private int reloads;

    FaultScript(long seed, GatewayProcess gateway, List<SoakUpstreams.Upstream> killable, Path hosts,
            String[] dnsAddresses, Path config, IntFunction<String> configWithExtraRoute, Windows maintenance,
            org.eclipse.jetty.client.HttpClient probe, int drainable) {
        this.random = new Random(seed);
        this.gateway = gateway;
        this.killable = killable;
        this.hosts = hosts;
        this.dnsAddresses = dnsAddresses;
        this.config = config;
        this.configWithExtraRoute = configWithExtraRoute;
        this.maintenance = maintenance;
        this.probe = probe;
        this.drainable = drainable;
    }

    Map<String, Long> actions() {
        Map<String, Long> copy = new TreeMap<>();
        actions.forEach((action, count) -> copy.put(action, count.sum()));
        return copy;
    }

    List<String> problems() {
        return problems;
    }

    /** Runs faults until the deadline. */
    void run(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            try {
                step();
            } catch (IOException e) {
                problems.add("fault step failed: " + e);
            }
            Thread.sleep(500 + random.nextInt(1500));
        }
    }

    private void step() throws IOException, InterruptedException {
        switch (random.nextInt(5)) {
            case 0 -> killAndRestart();
            case 1 -> changeDns();
            case 2 -> reload();
            case 3 -> toggleMaintenance();
            default -> toggleDrain();
        }
    }

    /** Kills one upstream of {@code /api/} while the other is up, and starts it again a few seconds later. */
    private void killAndRestart() throws InterruptedException {
        SoakUpstreams.Upstream victim = killable.get(random.nextInt(killable.size()));
        if (killable.stream().filter(upstream -> upstream != victim).noneMatch(SoakUpstreams.Upstream::up)
                || !victim.up()) {
            return;
        }
        long downMillis = 1000 + random.nextInt(4000);
        try {
            victim.kill();
            count("upstream_killed");
            Thread.sleep(downMillis);
            victim.start();
            count("upstream_restarted");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            problems.add("restarting " + victim.name() + ": " + e);
        }
    }

    /** Points the name at the other address; half the time also flushes the gateway's cache of it. */
    private void changeDns() throws IOException, InterruptedException {
        dnsTarget = 1 - dnsTarget;
        Path next = hosts.resolveSibling("hosts.next");
        Files.writeString(next, "api.soak " + dnsAddresses[dnsTarget] + "\n");
        Files.move(next, hosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        count("dns_changed");
        if (random.nextBoolean()) {
            expectOk(gateway.act("/admin/dns/flush", "{\"host\":\"api.soak\"}"), "dns flush");
            count("dns_flushed");
        }
    }

    /** Adds a route, or removes the one added before; reloads; checks the route is there, or gone. */
    private void reload() throws IOException, InterruptedException {
        boolean adding = extraRoute < 0;
        int route = adding ? ++reloads : extraRoute;
        Path next = config.resolveSibling("gateway.next.yaml");
        Files.writeString(next, configWithExtraRoute.apply(adding ? route : -1));
        Files.move(next, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        expectOk(gateway.act("/admin/config/reload", "{}"), "reload");
        extraRoute = adding ? route : -1;
        count(adding ? "route_added" : "route_removed");
        try {
            int status = probe.newRequest("127.0.0.1", gateway.port()).path("/extra-" + route + "/x")
                    .timeout(10, java.util.concurrent.TimeUnit.SECONDS).send().getStatus();
            if (status != (adding ? 200 : 500)) {
                problems.add("route /extra-" + route + "/ answered " + status + " after it was " + (adding ? "added"
                        : "removed"));
            }
        } catch (Exception e) {
            problems.add("probing /extra-" + route + "/: " + e);
        }
    }

    private void toggleMaintenance() throws IOException, InterruptedException {
        maintenance.open(System.nanoTime());
        expectOk(gateway.act("/admin/maintenance", "{\"route\":\"/maint/\",\"enabled\":true}"), "maintenance on");
        count("maintenance_on");
        Thread.sleep(500 + random.nextInt(1500));
        expectOk(gateway.act("/admin/maintenance", "{\"route\":\"/maint/\",\"enabled\":false}"), "maintenance off");
        maintenance.close(System.nanoTime());
        count("maintenance_off");
    }

    private void toggleDrain() throws IOException, InterruptedException {
        String upstream = "http://127.0.0.1:" + drainable;
        expectOk(gateway.act("/admin/drain", "{\"route\":\"/stream/\",\"upstream\":\"" + upstream
                + "\",\"enabled\":true}"), "drain on");
        count("drain_on");
        Thread.sleep(500 + random.nextInt(2000));
        expectOk(gateway.act("/admin/drain", "{\"route\":\"/stream/\",\"upstream\":\"" + upstream
                + "\",\"enabled\":false}"), "drain off");
        count("drain_off");
    }

    /**
     * Hostile clients beside the real ones, one every second or so until the deadline: a head that
     * trickles in, a header section far over the limit, bytes that are not HTTP. Each must get its
     * answer and lose its connection, never hold it.
     */
    void hostile(long seed, long deadlineNanos, long headTimeoutMillis) throws InterruptedException {
        Random hostile = new Random(seed);
        while (System.nanoTime() < deadlineNanos) {
            int kind = hostile.nextInt(3);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setSoTimeout((int) headTimeoutMillis + 10_000);
                OutputStream out = socket.getOutputStream();
                String expected;
                if (kind == 0) {
                    expected = "HTTP/1.1 408 ";
                    out.write("GET /api/slow HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    long until = System.nanoTime() + (headTimeoutMillis + 5_000) * 1_000_000;
                    try {
                        while (System.nanoTime() < until && socket.getInputStream().available() == 0) {
                            out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                            Thread.sleep(300);
                        }
                    } catch (IOException closed) {
                        // Cut by the gateway, as it should be: the answer is read below.
                    }
                    count("hostile_slow_head");
                } else if (kind == 1) {
                    expected = "HTTP/1.1 431 ";
                    try {
                        out.write(("GET /api/x HTTP/1.1\r\nHost: gw\r\nX-Huge: " + "h".repeat(64 * 1024) + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException refused) {
                        // Answered and closed before all of it was written.
                    }
                    count("hostile_huge_header");
                } else {
                    expected = "HTTP/1.1 400 ";
                    out.write("\u0016\u0003\u0001garbage that is not HTTP\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    count("hostile_garbage");
                }
                InputStream in = socket.getInputStream();
                String answer;
                try {
                    answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                } catch (IOException reset) {
                    // The gateway answered and closed with the rest of what was sent unread: the kernel resets the
                    // connection, and the answer may be lost on the way. Not holding the connection is what counts.
                    count("hostile_reset_after_answer");
                    answer = expected;
                }
                if (!answer.startsWith(expected)) {
                    problems.add("hostile client " + kind + " expected " + expected.trim() + ", got "
                            + answer.lines().findFirst().orElse("nothing"));
                }
            } catch (IOException e) {
                problems.add("hostile client " + kind + ": " + e);
            }
            Thread.sleep(500 + hostile.nextInt(1000));
        }
    }

    private void expectOk(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            problems.add(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void count(String action) {
        actions.computeIfAbsent(action, a -> new LongAdder()).increment();
    }
}
