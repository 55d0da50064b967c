package io.gatewise.errorpage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The latest diagnosis of the upstream a failure names, as the operator view of an error page
 * shows it: each step with its state and time, and the verdict in one line.
 *
 * @param time when the diagnosis ran
 * @param steps the steps in order
 * @param verdict the verdict, such as {@code FAILED connection_refused (cause upstream_down, phase connect): ...}
 */
public record DiagnosisSummary(Instant time, List<StepLine> steps, String verdict) {
    /** Copies the steps. */
    public DiagnosisSummary {
        steps = List.copyOf(steps);
    }

    /**
     * One step.
     *
     * @param step its name, such as {@code connect}
     * @param state {@code ok}, {@code failed} or {@code skipped}
     * @param millis how long it took; null when skipped
     * @param summary what it found, in one line
     */
    public record StepLine(String step, String state, Long millis, String summary) {
    }

    /** Finds the latest diagnosis of an upstream, for the operator view. */
    @FunctionalInterface
    public interface Lookup {
        /** A lookup that never finds one. */
        Lookup NONE = (route, nextHop) -> Optional.empty();

        /**
         * @param route the failure's route path
         * @param nextHop the failure's upstream, as {@code host:port}
         * @return its latest diagnosis; empty if there is none
         */
        Optional<DiagnosisSummary> find(String route, String nextHop);
    }
}
