package io.gatewise.diagnose;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One diagnosis of one upstream: each step in order, and the verdict.
 *
 * @param route the route's path; empty for a URL diagnosed on its own
 * @param url the upstream's URL
 * @param nextHop the upstream as {@code host:port}, as failure records name it
 * @param time when it ran
 * @param steps {@code resolve}, {@code connect}, {@code tls}, {@code http}, in order
 * @param verdict the conclusion
 * @param certificateNotAfter when the upstream's certificate expires, if the TLS step saw one
 */
public record Diagnosis(Optional<String> route, String url, String nextHop, Instant time, List<StepResult> steps,
        Verdict verdict, Optional<Instant> certificateNotAfter) {
    /** Copies the steps. */
    public Diagnosis {
        steps = List.copyOf(steps);
    }

    /** @return whether every step passed */
    public boolean ok() {
        return verdict.ok();
    }

    /**
     * @param step a step
     * @return what it found
     */
    public StepResult step(Step step) {
        return steps.stream().filter(result -> result.step() == step).findFirst()
                .orElseThrow(() -> new IllegalStateException("no step " + step.token()));
    }

    /** @return the step that failed; empty if none did */
    public Optional<StepResult> failedStep() {
        return steps.stream().filter(StepResult::failed).findFirst();
    }
}
