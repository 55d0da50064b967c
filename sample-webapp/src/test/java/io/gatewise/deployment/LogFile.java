package io.gatewise.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A log file a container writes while a test watches it: the test notes where the log ends,
 * acts, then waits for the line its action should have written. Containers write their logs
 * asynchronously, so a line is awaited, never expected at once.
 */
public final class LogFile {
    private static final Duration POLL = Duration.ofMillis(50);

    private final Supplier<Optional<Path>> file;

    /** @param file finds the file, which may not exist yet or may roll over to a new name */
    public LogFile(Supplier<Optional<Path>> file) {
        this.file = file;
    }

    /** @return a log at a fixed path */
    public static LogFile at(Path path) {
        return new LogFile(() -> Optional.of(path));
    }

    /** @return how many lines the log has now: later lines are what comes next */
    public int mark() {
        return lines().size();
    }

    /** @return the lines written since the mark */
    public List<String> since(int mark) {
        List<String> lines = lines();
        return lines.subList(Math.min(mark, lines.size()), lines.size());
    }

    /**
     * @param mark where to start looking
     * @param wanted the line awaited
     * @param timeout how long the container may take to write it
     * @return the first line since the mark that is wanted
     * @throws TimeoutException if none came, with what the log said meanwhile
     */
    public String await(int mark, Predicate<String> wanted, Duration timeout)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = since(mark);
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("no such line in " + file.get().map(Path::toString).orElse("(no log yet)")
                        + " within " + timeout + "; since the mark it says:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private List<String> lines() {
        Optional<Path> path = file.get();
        if (path.isEmpty() || !Files.exists(path.get())) {
            return List.of();
        }
        try {
            // The container may be writing a line as we read: a partial last line is read again later.
            String text = new String(Files.readAllBytes(path.get()), StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1;
            return text.substring(0, complete).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
