package io.gatewise.diagnose;

import io.gatewise.errorpage.DiagnosisSummary;

/** Diagnoses as the operator view of an error page shows them. */
public final class DiagnosisSummaries {
    private DiagnosisSummaries() {
    }

    /**
     * @param diagnosis a diagnosis
     * @return its steps and verdict for the operator view
     */
    public static DiagnosisSummary of(Diagnosis diagnosis) {
        return new DiagnosisSummary(diagnosis.time(), diagnosis.steps().stream()
                .map(step -> new DiagnosisSummary.StepLine(step.step().token(),
                        step.skipped() ? "skipped" : step.failed() ? "failed" : "ok",
                        step.skipped() ? null : step.millis(), step.summary()))
                .toList(), DiagnosisReport.verdictLine(diagnosis.verdict()));
    }
}
