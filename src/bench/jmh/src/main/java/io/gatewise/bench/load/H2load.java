package io.gatewise.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code h2load} (nghttp2's HTTP/2 load generator) for a bounded time over h2c with prior
 * knowledge, several streams per connection, and reads its report. h2load's summary has no
 * percentiles, only min, max, mean and standard deviation: p50 and p99 come from its per-request
 * log ({@code --log-file}), which holds every request of the measured duration.
 */
final class H2load {
    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(us|ms|s), ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done,"
            + " (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern STATUS_CODES = Pattern.compile(
            "status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final String NUMBER = "\\s+([0-9.]+)(us|ms|s)";
    private static final Pattern TIME_FOR_REQUEST = Pattern.compile("time for request:" + NUMBER + NUMBER + NUMBER
            + NUMBER);
    private static final Pattern PROTOCOL = Pattern.compile("Application protocol: (\\S+)");

    /**
     * What one run measured.
     *
     * @param requestsPerSecond h2load's req/s: requests that succeeded (2xx, 3xx) per second of the measured duration
     * @param done requests that completed, whatever the answer
     * @param succeeded requests answered 2xx or 3xx
     * @param failed requests that did not succeed: HTTP failures (4xx, 5xx) and errors
     * @param errored failures other than an HTTP status: a reset stream, a broken connection, a timeout
     * @param non2xx answers with a status of 3xx, 4xx or 5xx
     * @param minMillis shortest request time (h2load's {@code time for request} row), as the other three
     * @param p50Millis median of the per-request log; NaN without one
     * @param p99Millis 99th percentile of the per-request log; NaN without one
     * @param protocol the protocol h2load negotiated, {@code h2c} or {@code http/1.1}; null if it said none
     */
    record Result(double requestsPerSecond, long done, long succeeded, long failed, long errored, long non2xx,
            double minMillis, double maxMillis, double meanMillis, double sdMillis, double p50Millis, double p99Millis,
            String protocol) {

        /** @return the numbers the harness keeps for every load tool */
        Wrk.Result asLoad() {
            return new Wrk.Result(requestsPerSecond, done, p50Millis, p99Millis, errored, non2xx);
        }
    }

    /**
     * A request body and headers to send with each request; for gRPC a length-prefixed message.
     *
     * @param body the file to POST
     * @param headers header lines such as {@code content-type: application/grpc}
     */
    record Post(Path body, List<String> headers) {
    }

    private final String executable;
    private final int streams;

    /**
     * @param executable h2load
     * @param streams concurrent streams per connection ({@code -m})
     */
    H2load(String executable, int streams) {
        this.executable = executable;
        this.streams = streams;
    }

    /**
     * @param url the URL to load, {@code http://}: h2c with prior knowledge
     * @param connections open connections
     * @param seconds how long
     * @param post a body and headers to POST; null for GET
     * @return what h2load reported
     * @throws IOException if h2load fails or its report cannot be read
     * @throws InterruptedException if interrupted while waiting
     */
    Result run(String url, int connections, int seconds, Post post) throws IOException, InterruptedException {
        Path log = Files.createTempFile("h2load", ".tsv");
        try {
            List<String> command = new ArrayList<>(List.of(executable, "-c", Integer.toString(connections),
                    "-t", Integer.toString(Math.min(2, connections)), "-m", Integer.toString(streams),
                    "-D", Integer.toString(seconds), "--log-file=" + log));
            if (post != null) {
                command.addAll(List.of("-d", post.body().toString()));
                for (String header : post.headers()) {
                    command.addAll(List.of("-H", header));
                }
            }
            command.add(url);
            return parse(execute(command, seconds + 30L), percentiles(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * A few requests on one connection, for a target's check before its scenario is measured.
     *
     * @return what h2load reported; no percentiles
     */
    Result probe(String url, Post post) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-n", "4", "-c", "1", "-m", "2"));
        if (post != null) {
            command.addAll(List.of("-d", post.body().toString()));
            for (String header : post.headers()) {
                command.addAll(List.of("-H", header));
            }
        }
        command.add(url);
        return parse(execute(command, 30), null);
    }

    private static String execute(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("h2load did not end: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("h2load exited with " + process.exitValue() + ": " + output);
        }
        return output;
    }

    /**
     * @param output h2load's report
     * @param percentiles p50 and p99 in ms from its per-request log; null if there is none
     * @return the numbers in it
     * @throws IOException if a number the harness needs is missing
     */
    static Result parse(String output, double[] percentiles) throws IOException {
        Matcher finished = find(FINISHED, output, "finished in");
        Matcher requests = find(REQUESTS, output, "requests:");
        Matcher codes = find(STATUS_CODES, output, "status codes:");
        Matcher time = find(TIME_FOR_REQUEST, output, "time for request:");
        Matcher protocol = PROTOCOL.matcher(output);
        long non2xx = Long.parseLong(codes.group(2)) + Long.parseLong(codes.group(3)) + Long.parseLong(codes.group(4));
        double[] latency = new double[4];
        for (int i = 0; i < 4; i++) {
            latency[i] = toMillis(Double.parseDouble(time.group(1 + 2 * i)), time.group(2 + 2 * i));
        }
        return new Result(Double.parseDouble(finished.group(3)), Long.parseLong(requests.group(3)),
                Long.parseLong(requests.group(4)), Long.parseLong(requests.group(5)), Long.parseLong(requests.group(6)),
                non2xx, latency[0], latency[1], latency[2], latency[3],
                percentiles == null ? Double.NaN : percentiles[0], percentiles == null ? Double.NaN : percentiles[1],
                protocol.find() ? protocol.group(1) : null);
    }

    /**
     * @param log h2load's per-request log: start time (µs since the epoch), status, time to the
     *     end of the response (µs), tab-separated
     * @return p50 and p99 of the request times, in ms (nearest rank); NaN for an empty log
     */
    static double[] percentiles(Path log) throws IOException {
        long[] micros;
        try (Stream<String> lines = Files.lines(log)) {
            micros = lines.map(line -> line.split("\t")).filter(fields -> fields.length >= 3)
                    .mapToLong(fields -> Long.parseLong(fields[2].trim())).toArray();
        }
        if (micros.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Arrays.sort(micros);
        return new double[] {rank(micros, 0.50) / 1000.0, rank(micros, 0.99) / 1000.0};
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static Matcher find(Pattern pattern, String output, String what) throws IOException {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IOException("no '" + what + "' in h2load's report:\n" + output);
        }
        return matcher;
    }

    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
