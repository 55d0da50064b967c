package io.gatewise.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.errorpage.Hints;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Diagnoses as the admin API and the command line show them: JSON
 * ({@code {"route": ..., "upstreams": [{"url", "time", "steps", "verdict", "hints"}]}}) and text
 * (one line per step, the verdict and the hints), with the hints of the failed step's cause in
 * English or Chinese.
 */
public final class DiagnosisReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DiagnosisReport() {
    }

    /**
     * @param route the route's path, or the URL diagnosed on its own
     * @param diagnoses one per upstream
     * @param locale the hints' language
     * @param cached which of them were reused from an earlier request (rate limit) rather than run for this one
     * @return the JSON object, keys in a fixed order
     */
    public static Map<String, Object> json(String route, List<Diagnosis> diagnoses, Locale locale,
            Predicate<Diagnosis> cached) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("route", route);
        json.put("ok", diagnoses.stream().allMatch(Diagnosis::ok));
        json.put("upstreams", diagnoses.stream().map(diagnosis -> upstream(diagnosis, locale,
                cached.test(diagnosis))).toList());
        return json;
    }

    /**
     * @param diagnosis one upstream's diagnosis
     * @param locale the hints' language
     * @param cached whether it was reused rather than run for this answer
     * @return its JSON object: {@code url}, {@code time}, {@code cached}, {@code steps},
     *     {@code verdict}, {@code hints}
     */
    public static Map<String, Object> upstream(Diagnosis diagnosis, Locale locale, boolean cached) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", diagnosis.url());
        json.put("time", diagnosis.time().toString());
        json.put("cached", cached);
        json.put("steps", diagnosis.steps().stream().map(DiagnosisReport::step).toList());
        json.put("verdict", verdict(diagnosis.verdict()));
        json.put("hints", hints(diagnosis, locale));
        return json;
    }

    /**
     * @param value what {@link #json} made
     * @return it as JSON text
     */
    public static String write(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param diagnosis a diagnosis
     * @param locale the language
     * @return the hints for its failed step's cause; empty when it passed
     */
    public static List<String> hints(Diagnosis diagnosis, Locale locale) {
        return diagnosis.verdict().cause().map(cause -> Hints.forCause(cause, locale)).orElse(List.of());
    }

    /**
     * @param diagnosis a diagnosis
     * @param locale the hints' language
     * @return the text the command line prints: a header line, one line per step, the verdict and the hints
     */
    public static String text(Diagnosis diagnosis, Locale locale) {
        StringBuilder text = new StringBuilder();
        text.append(diagnosis.route().map(route -> route + " ").orElse("")).append(diagnosis.url()).append('\n');
        for (StepResult step : diagnosis.steps()) {
            String state = step.skipped() ? "skip" : step.failed() ? "FAIL" : "ok";
            text.append(String.format(Locale.ROOT, "  %-8s %-5s %5s  %s%n", step.step().token(), state,
                    step.skipped() ? "" : step.millis() + " ms", step.summary()).stripTrailing()).append('\n');
        }
        text.append("  verdict  ").append(verdictLine(diagnosis.verdict())).append('\n');
        for (String hint : hints(diagnosis, locale)) {
            text.append("  hint     ").append(hint).append('\n');
        }
        return text.toString();
    }

    /** @return the verdict in one line, such as {@code FAILED tls_certificate_error (cause tls, phase tls): ...} */
    public static String verdictLine(Verdict verdict) {
        if (verdict.ok()) {
            return "ok";
        }
        return "FAILED " + verdict.type().map(ProxyErrorType::token)
                .orElse(verdict.receivedStatus().map(status -> "received-status " + status).orElse("")) + " (cause "
                + verdict.cause().orElse("-") + ", phase " + verdict.phase().map(Phase::token).orElse("-") + "): "
                + verdict.reason();
    }

    private static Map<String, Object> step(StepResult step) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("step", step.step().token());
        json.put("ok", step.ok());
        if (step.skipped()) {
            json.put("skipped", true);
            if (!step.detail().isEmpty()) {
                json.put("detail", step.detail());
            }
            return json;
        }
        json.put("ms", step.millis());
        json.put("detail", step.detail());
        return json;
    }

    private static Map<String, Object> verdict(Verdict verdict) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", verdict.ok());
        json.put("error_type", verdict.type().map(ProxyErrorType::token).orElse(null));
        json.put("cause", verdict.cause().orElse(null));
        json.put("phase", verdict.phase().map(Phase::token).orElse(null));
        json.put("reason", verdict.reason());
        verdict.type().ifPresent(type -> json.put("status", type.status()));
        verdict.receivedStatus().ifPresent(status -> json.put("received_status", status));
        if (!verdict.parameters().isEmpty()) {
            json.put("parameters", verdict.parameters());
        }
        return json;
    }
}
