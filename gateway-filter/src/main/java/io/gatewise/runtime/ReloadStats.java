package io.gatewise.runtime;

import java.time.Instant;
import java.util.Optional;

/**
 * The gateway's reloads so far, for metrics and status pages.
 *
 * @param successes reloads that applied a new configuration
 * @param failures reloads refused: the old configuration kept serving
 * @param lastSuccess when the last successful reload ended; empty if none has
 * @param lastResult the last reload's result; empty if none has run
 */
public record ReloadStats(long successes, long failures, Optional<Instant> lastSuccess,
        Optional<ReloadResult> lastResult) {
    static final ReloadStats NONE = new ReloadStats(0, 0, Optional.empty(), Optional.empty());

    ReloadStats with(ReloadResult result) {
        return result.success()
                ? new ReloadStats(successes + 1, failures, Optional.of(result.at()), Optional.of(result))
                : new ReloadStats(successes, failures + 1, lastSuccess, Optional.of(result));
    }
}
