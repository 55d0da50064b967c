package io.gatewise.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one step found.
 *
 * @param step the step
 * @param ok true if it passed, false if it failed, null if it was skipped (an earlier step failed,
 *     or it does not apply, such as TLS to an http upstream)
 * @param millis how long it took; 0 when skipped
 * @param summary one line for people, such as {@code orders.internal -> 10.0.0.5}
 * @param detail what it found, as JSON-ready values in a fixed order
 */
public record StepResult(Step step, Boolean ok, long millis, String summary, Map<String, Object> detail) {
    /** Keeps the detail's order and makes it read-only. */
    public StepResult {
        Objects.requireNonNull(step, "step");
        summary = summary == null ? "" : summary;
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** @return whether the step did not run */
    public boolean skipped() {
        return ok == null;
    }

    /** @return whether the step ran and failed */
    public boolean failed() {
        return Boolean.FALSE.equals(ok);
    }

    static StepResult passed(Step step, long millis, String summary, Map<String, Object> detail) {
        return new StepResult(step, true, millis, summary, detail);
    }

    static StepResult failed(Step step, long millis, String summary, Map<String, Object> detail) {
        return new StepResult(step, false, millis, summary, detail);
    }

    static StepResult skipped(Step step, String why) {
        return new StepResult(step, null, 0, why, why == null ? Map.of() : Map.of("reason", why));
    }
}
