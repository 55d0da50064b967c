package io.gatewise.config;

import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The end of a burst of file events: an editor's save, or Kubernetes swapping a {@code ..data}
 * symlink, is several events; whoever watches a folder acts once, when the burst is over.
 */
public final class WatchBursts {
    private WatchBursts() {
    }

    /**
     * Takes the key's events, then every further key's, until none arrives within the quiet
     * period; each key is reset, so its folder stays watched.
     *
     * @param watchService the watch service the key came from
     * @param first the key that began the burst
     * @param quietPeriod how long no event must arrive for the burst to be over
     * @throws InterruptedException if interrupted while waiting
     */
    public static void awaitEnd(WatchService watchService, WatchKey first, Duration quietPeriod)
            throws InterruptedException {
        for (WatchKey key = first; key != null; key = watchService.poll(quietPeriod.toNanos(), TimeUnit.NANOSECONDS)) {
            key.pollEvents();
            key.reset();
        }
    }
}
