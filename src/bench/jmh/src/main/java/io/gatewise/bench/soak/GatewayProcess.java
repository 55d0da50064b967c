package io.gatewise.bench.soak;

import io.gatewise.bench.load.ProcessStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The soak's gateway process: started, asked over its admin API, and measured from the outside. */
final class GatewayProcess implements AutoCloseable {
    static final String ADMIN_TOKEN = "soak-admin-token-0123456789";

    private final Process process;
    private final Path log;
    private final int port;
    private final int adminPort;
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayProcess(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    static GatewayProcess start(String classpath, List<String> jvmFlags, Path config, Path hosts, Path work)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, SoakGateway.class.getName(), config.toString(), hosts.toString()));
        Path log = work.resolve("gateway.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // The first line says the ports; everything after it goes to the log file.
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> before = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ports ")) {
            before.add(line);
        }
        if (line == null) {
            throw new IOException("the gateway exited before serving:\n" + String.join("\n", before));
        }
        String[] ports = line.split(" ");
        Files.write(log, before);
        Thread copier = new Thread(() -> {
            try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND)) {
                String next;
                while ((next = out.readLine()) != null) {
                    writer.write(next);
                    writer.newLine();
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "soak-gateway-log");
        copier.setDaemon(true);
        copier.start();
        return new GatewayProcess(process, log, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** @return the admin API's status and body for a {@code POST} with a JSON body */
    HttpResponse<String> act(String path, String json) throws IOException, InterruptedException {
        return admin.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        return admin.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** @return what the process holds now; the heap is its live objects after a full collection */
    Resources sample() throws IOException, InterruptedException {
        long pid = process.pid();
        String metrics = metrics();
        return new Resources(ProcessStats.liveHeapKb(pid), ProcessStats.procStatus(pid, "VmRSS:"),
                ProcessStats.openFiles(pid), ProcessStats.procStatus(pid, "Threads:"),
                (long) metric(metrics, "jetty_threads_busy"), (long) metric(metrics, "jetty_threads_idle"),
                (long) (metric(metrics, "jvm_buffer_memory_used_bytes{id=\"direct\"") / 1024));
    }

    /** @return the log's lines at {@code ERROR} that name no incident */
    List<String> errorsWithoutIncident() throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" ERROR ") && !line.contains("incident=")).toList();
        }
    }

    private static double metric(String text, String prefix) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * What the gateway process holds at one moment.
     *
     * @param heapAfterGcKb heap in use right after a full collection
     * @param rssKb resident memory
     * @param openFiles open file descriptors (sockets included)
     * @param threads the process's threads
     * @param busyThreads the server pool's busy threads
     * @param idleThreads its idle threads
     * @param directKb direct buffer memory in use
     */
    record Resources(long heapAfterGcKb, long rssKb, long openFiles, long threads, long busyThreads,
            long idleThreads, long directKb) {
    }
}
