package io.gatewise.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} for a bounded time and reads its report. */
final class Wrk {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** What one run measured. */
    record Result(double requestsPerSecond, long requests, double p50Millis, double p99Millis, long socketErrors,
            long non2xx) {
    }

    private final String executable;

    Wrk(String executable) {
        this.executable = executable;
    }

    /**
     * @param url the URL to load
     * @param connections open connections
     * @param seconds how long
     * @return what wrk reported
     * @throws IOException if wrk fails or its report cannot be read
     * @throws InterruptedException if interrupted while waiting
     */
    Result run(String url, int connections, int seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-t", "2", "-c", Integer.toString(connections),
                "-d", seconds + "s", "--timeout", "10s", "--latency", url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("wrk did not end: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("wrk exited with " + process.exitValue() + ": " + output);
        }
        return parse(output);
    }

    /**
     * @param output wrk's report, run with {@code --latency}
     * @return the numbers in it
     * @throws IOException if a number the harness needs is missing
     */
    static Result parse(String output) throws IOException {
        double rps = Double.parseDouble(find(REQUESTS_PER_SECOND, output, "Requests/sec"));
        long total = Long.parseLong(find(TOTAL, output, "requests in"));
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double millis = toMillis(Double.parseDouble(percentile.group(2)), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        return new Result(rps, total, p50, p99, errors, non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
    }

    private static String find(Pattern pattern, String output, String what) throws IOException {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IOException("no '" + what + "' in wrk's report:\n" + output);
        }
        return matcher.group(1);
    }

    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
