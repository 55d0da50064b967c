package io.gatewise.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a config file and calls back when its content changes, on one daemon thread named
 * {@value #THREAD_NAME}.
 *
 * <p>It watches the file's folder, not the file: a Kubernetes ConfigMap volume updates by
 * pointing its {@code ..data} symlink at a new folder, which changes what the file's path reads
 * without any event on the file itself. Events come in bursts (an editor's temporary file and
 * rename, the symlink swap's several steps), so it waits until the folder has been quiet for the
 * quiet period, then reads the file and calls back only if the SHA-256 of its bytes differs from
 * the last one it saw: a rewrite with the same content, or a change to another file of the
 * folder, calls nothing. A file that cannot be read counts as a change, so the reload names the
 * problem.
 */
public final class ConfigWatcher implements AutoCloseable {
    /** The name of its thread. */
    public static final String THREAD_NAME = "gatewise-config-watcher";
    /** The default quiet period: long enough to take in a symlink swap, short enough to feel at once. */
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final String MISSING = "missing";

    private final Path file;
    private final Duration quietPeriod;
    private final Runnable onChange;
    private final WatchService watchService;
    private final Thread thread;
    private final AtomicLong checks = new AtomicLong();
    private volatile String lastDigest;
    private volatile boolean closed;

    private ConfigWatcher(Path file, Duration quietPeriod, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath();
        this.quietPeriod = quietPeriod;
        this.onChange = onChange;
        this.lastDigest = digestNow();
        this.watchService = FileSystems.getDefault().newWatchService();
        try {
            this.file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param file the config file
     * @param quietPeriod how long the folder must stay quiet after an event before the file is read
     * @param onChange called on the watcher's thread when the file's content has changed
     * @return the running watcher; {@link #close} stops it
     * @throws IOException if the file's folder cannot be watched
     */
    public static ConfigWatcher start(Path file, Duration quietPeriod, Runnable onChange) throws IOException {
        Objects.requireNonNull(onChange, "onChange");
        if (quietPeriod == null || quietPeriod.isNegative() || quietPeriod.isZero()) {
            throw new IllegalArgumentException("quietPeriod: " + quietPeriod + " (expected: > 0)");
        }
        ConfigWatcher watcher = new ConfigWatcher(file, quietPeriod, onChange);
        watcher.thread.start();
        LOG.info("Watching {} for changes (folder {})", watcher.file, watcher.file.getParent());
        return watcher;
    }

    /** @return the file it watches, as an absolute path */
    public Path file() {
        return file;
    }

    /** @return how many quiet bursts of events it has checked the file after, changed or not */
    public long checks() {
        return checks.get();
    }

    private void run() {
        try {
            while (!closed) {
                WatchBursts.awaitEnd(watchService, watchService.take(), quietPeriod);
                checkFile();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // Closed: the gateway stopped.
        }
    }

    private void checkFile() {
        String digest = digestNow();
        boolean changed = !digest.equals(lastDigest);
        lastDigest = digest;
        if (changed && !closed) {
            LOG.info("Config file {} changed; reloading", file);
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.error("Reloading {} failed", file, e);
            }
        }
        checks.incrementAndGet();
    }

    private String digestNow() {
        try {
            return ConfigSource.digest(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** Stops watching; its thread ends. A reload it has begun runs to its end. */
    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("Cannot close the watch of {}", file, e);
        }
    }
}
