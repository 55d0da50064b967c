package io.gatewise.diagnose;

import io.gatewise.config.HealthCheckConfig;
import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.InvalidResponseException;
import io.gatewise.failure.Phase;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code http} step: one HTTP/1.1 request over the connection the earlier steps made, so it
 * asks the address they checked and not a pooled connection: a {@code GET} of the route's health
 * check path (within the check's timeout, expecting its status), or else a {@code HEAD} of the
 * base path (within the route's response timeout). It reads the status line and header section,
 * and reports the status, the time to headers, {@code Server}, and whether the upstream itself
 * answered 5xx. It fails on an upstream's own 5xx, on a status other than the health check
 * expects, and on anything the proxy would fail on (silence, a closed connection, not HTTP).
 */
final class HttpStep {
    /** The most of a header section it reads. */
    private static final int MAX_HEAD = 64 * 1024;
    /** The last four bytes of a header section, and the last two of one a lenient server ends with bare newlines. */
    private static final int CRLF_CRLF = 0x0d0a0d0a;
    private static final int LF_LF = 0x0a0a;

    private final FailureClassifier classifier;

    HttpStep(FailureClassifier classifier) {
        this.classifier = classifier;
    }

    StepOutcome run(DiagnosisTarget target, Socket socket) {
        Optional<HealthCheckConfig> check = target.healthCheck();
        String method = check.isPresent() ? "GET" : "HEAD";
        String base = target.upstream().basePath();
        String path = check.map(c -> base + c.path()).orElse(base.isEmpty() ? "/" : base);
        Duration timeout = check.map(HealthCheckConfig::timeout).orElse(target.timeouts().response());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("method", method);
        detail.put("path", path);
        long start = System.nanoTime();
        Phase phase = Phase.SEND;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.min(timeout.toMillis(),
                    target.timeouts().idle().toMillis())));
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + target.upstream().url().getRawAuthority()
                    + "\r\nUser-Agent: gatewise-diagnose\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            phase = Phase.AWAIT_HEADERS;
            String head = readHead(socket.getInputStream(), start, timeout);
            long millis = ResolveStep.millisSince(start);
            int status = status(head);
            detail.put("status", status);
            detail.put("ms_to_headers", millis);
            detail.put("server", header(head, "Server"));
            detail.put("upstream_5xx", status >= 500);
            check.ifPresent(c -> detail.put("expected_status", c.expectedStatus()));
            String summary = method + " " + path + " -> " + status + Optional.ofNullable(header(head, "Server"))
                    .map(server -> " (Server: " + server + ")").orElse("");
            if (status >= 500) {
                return new StepOutcome(StepResult.failed(Step.HTTP, millis, summary, detail),
                        Verdict.upstreamAnswered(status, "the upstream answered " + status + " itself"));
            }
            if (check.isPresent() && status != check.get().expectedStatus()) {
                return new StepOutcome(StepResult.failed(Step.HTTP, millis, summary + ", health check expects "
                        + check.get().expectedStatus(), detail), Verdict.upstreamAnswered(status, "the upstream answered "
                        + status + " to its health check, which expects " + check.get().expectedStatus()));
            }
            return StepOutcome.passed(StepResult.passed(Step.HTTP, millis, summary, detail));
        } catch (IOException e) {
            long millis = ResolveStep.millisSince(start);
            detail.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            Verdict verdict = Verdict.of(classifier.classify(e, new ExchangeState(phase, Duration.ofMillis(millis),
                    timeout)));
            return new StepOutcome(StepResult.failed(Step.HTTP, millis, method + " " + path + ": " + verdict.reason(),
                    detail), verdict);
        }
    }

    /** Reads up to the blank line that ends the header section, within the timeout overall. */
    private static String readHead(InputStream in, long startNanos, Duration timeout) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last4 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    throw new EOFException("the upstream closed the connection without a response");
                }
                throw new EOFException("the upstream closed the connection within the response headers");
            }
            head.write(b);
            last4 = last4 << 8 | b;
            if (last4 == CRLF_CRLF || (last4 & 0xffff) == LF_LF) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX_HEAD) {
                throw new InvalidResponseException("a response header section over " + MAX_HEAD + " bytes");
            }
            if (System.nanoTime() - startNanos > timeout.toNanos()) {
                throw new java.net.SocketTimeoutException("no complete header section within "
                        + timeout.toMillis() + " ms");
            }
        }
    }

    private static int status(String head) throws InvalidResponseException {
        String line = head.lines().findFirst().orElse("");
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new InvalidResponseException("not an HTTP status line: " + printable(line));
        }
        return Integer.parseInt(parts[1]);
    }

    private static String header(String head, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return head.lines().skip(1).filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> printable(line.substring(prefix.length()).trim())).findFirst().orElse(null);
    }

    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
    }
}
