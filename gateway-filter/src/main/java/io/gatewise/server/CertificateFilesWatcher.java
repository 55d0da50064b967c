package io.gatewise.server;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the folders of a TLS listener's certificate and key files, on one daemon thread named
 * {@value #THREAD_NAME}, and calls back once a burst of changes is over, and besides at a slow
 * pace, so that a change no event told of (a network file system) is seen too.
 *
 * <p>It watches folders, never the files: a Kubernetes secret volume updates by pointing its
 * {@code ..data} symlink at a new folder, which changes what {@code tls.crt} reads without any
 * event on {@code tls.crt} itself. Each file's own folder is watched, and also the folder its real
 * path is in, so a file that is a symlink to a folder elsewhere is followed; the set is worked out
 * again after every call back, as a swap moves the real paths. The call back compares the files'
 * contents itself: an event says only that something may have changed.
 */
final class CertificateFilesWatcher implements AutoCloseable {
    /** The name of its thread. */
    static final String THREAD_NAME = "gatewise-certificate-watcher";

    private static final Logger LOG = LoggerFactory.getLogger(CertificateFilesWatcher.class);

    private final List<Path> files;
    private final Duration quietPeriod;
    private final Duration recheckInterval;
    private final Runnable check;
    private final WatchService watchService;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts watching.
     *
     * @param files the certificate and key files, as configured
     * @param quietPeriod how long the folders must stay quiet after an event before the call back
     * @param recheckInterval how often to call back when no event comes
     * @param check called on the watcher's thread; compares the files' contents with what is loaded
     * @throws IOException if no folder can be watched
     */
    CertificateFilesWatcher(List<Path> files, Duration quietPeriod, Duration recheckInterval, Runnable check)
            throws IOException {
        this.files = List.copyOf(files);
        this.quietPeriod = quietPeriod;
        this.recheckInterval = recheckInterval;
        this.check = check;
        this.watchService = FileSystems.getDefault().newWatchService();
        watchFolders();
        if (watched.isEmpty()) {
            watchService.close();
            throw new IOException("none of the folders of " + files + " can be watched");
        }
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void watchFolders() {
        Set<Path> folders = new LinkedHashSet<>();
        for (Path file : files) {
            Path absolute = file.toAbsolutePath();
            folders.add(absolute.getParent());
            try {
                folders.add(absolute.toRealPath().getParent());
            } catch (IOException e) {
                // Missing for now (mid-swap): its own folder is watched, and the set is worked out again.
            }
        }
        watched.entrySet().removeIf(entry -> {
            boolean gone = !folders.contains(entry.getKey());
            if (gone) {
                entry.getValue().cancel();
            }
            return gone;
        });
        for (Path folder : folders) {
            if (folder != null && !watched.containsKey(folder)) {
                try {
                    watched.put(folder, folder.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException | ClosedWatchServiceException e) {
                    LOG.debug("Cannot watch {}", folder, e);
                }
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                WatchKey key = watchService.poll(recheckInterval.toNanos(), TimeUnit.NANOSECONDS);
                if (key != null) {
                    settle(key);
                    // Quiet until no event arrives within the quiet period: the burst is over.
                    for (WatchKey next = poll(); next != null; next = poll()) {
                        settle(next);
                    }
                }
                if (closed) {
                    return;
                }
                try {
                    check.run();
                } catch (RuntimeException e) {
                    LOG.error("Checking the TLS certificate files {} failed", files, e);
                }
                watchFolders();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // Closed: the listener stopped.
        }
    }

    private WatchKey poll() throws InterruptedException {
        return watchService.poll(quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void settle(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Stops watching; a check under way runs to its end. */
    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("Cannot close the watch of {}", files, e);
        }
    }
}
