package io.gatewise.diagnose;

/**
 * What a step hands back to the run: its result, and for a failed step the verdict.
 *
 * @param result what the step found
 * @param verdict the verdict if the step failed; null if it passed
 */
record StepOutcome(StepResult result, Verdict verdict) {
    static StepOutcome passed(StepResult result) {
        return new StepOutcome(result, null);
    }
}
