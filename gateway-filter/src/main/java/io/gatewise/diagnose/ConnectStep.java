package io.gatewise.diagnose;

import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.Phase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code connect} step: a TCP connection to each resolved address in turn, each within the
 * route's connect timeout, each with its own time and outcome (refused: nothing listens; timed
 * out: the packets are dropped, as by a firewall; unreachable: no route). It passes when one
 * address takes the connection, as live traffic tries the next address when one fails; the
 * detail still names each that failed.
 */
final class ConnectStep {
    private final FailureClassifier classifier;

    ConnectStep(FailureClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * @param outcome the step's outcome
     * @param socket the first connection made; null when none was
     */
    record Connected(StepOutcome outcome, Socket socket) {
    }

    Connected run(DiagnosisTarget target, List<InetSocketAddress> addresses) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, target.timeouts().connect().toMillis());
        List<Map<String, Object>> tried = new ArrayList<>();
        Socket connected = null;
        IOException firstFailure = null;
        long firstFailureMillis = 0;
        long start = System.nanoTime();
        for (InetSocketAddress address : addresses) {
            Map<String, Object> attempt = new LinkedHashMap<>();
            String name = ResolveStep.addresses(List.of(address)).get(0) + ":" + address.getPort();
            attempt.put("address", name);
            long began = System.nanoTime();
            Socket socket = new Socket();
            try {
                socket.connect(address, timeout);
                attempt.put("ok", true);
                attempt.put("ms", ResolveStep.millisSince(began));
                if (connected == null) {
                    connected = socket;
                } else {
                    socket.close();
                }
            } catch (IOException e) {
                closeQuietly(socket);
                attempt.put("ok", false);
                attempt.put("ms", ResolveStep.millisSince(began));
                attempt.put("error", kind(e));
                attempt.put("message", e.getMessage());
                if (firstFailure == null) {
                    firstFailure = e;
                    firstFailureMillis = ResolveStep.millisSince(began);
                }
            }
            tried.add(attempt);
        }
        long millis = ResolveStep.millisSince(start);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("timeout_ms", timeout);
        detail.put("addresses", tried);
        if (connected != null) {
            String summary = connected.getRemoteSocketAddress() instanceof InetSocketAddress remote
                    ? ResolveStep.addresses(List.of(remote)).get(0) + ":" + remote.getPort() : "connected";
            long failed = tried.stream().filter(attempt -> Boolean.FALSE.equals(attempt.get("ok"))).count();
            if (failed > 0) {
                summary += " (" + failed + " of " + tried.size() + " addresses failed)";
            }
            return new Connected(StepOutcome.passed(StepResult.passed(Step.CONNECT, millis, summary, detail)),
                    connected);
        }
        Verdict verdict = Verdict.of(classifier.classify(firstFailure, new ExchangeState(Phase.CONNECT,
                Duration.ofMillis(firstFailureMillis), target.timeouts().response())));
        String summary = tried.isEmpty() ? "no address" : tried.get(0).get("address") + " " + tried.get(0).get("error")
                + (tried.size() > 1 ? " (and " + (tried.size() - 1) + " more)" : "");
        return new Connected(new StepOutcome(StepResult.failed(Step.CONNECT, millis, summary, detail), verdict), null);
    }

    /** @return the outcome as an operator reads it */
    private static String kind(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed_out";
        }
        if (e instanceof NoRouteToHostException) {
            return "unreachable";
        }
        if (e instanceof ConnectException) {
            return "refused";
        }
        return "failed";
    }

    static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to tell: the diagnosis is over with this socket.
        }
    }
}
