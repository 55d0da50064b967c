package io.gatewise.errorpage;

import io.gatewise.failure.FailureCause;
import io.gatewise.failure.UpstreamFailure;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a page template sees, built from a failure, its texts and the request's view. Visitor
 * values never include addresses, routes or exception text; operator values are added only for a
 * trusted request.
 */
final class PageModel {
    /** The texts for an upstream's own error the gateway intercepted. */
    static final String UPSTREAM_ERROR = "upstream_error";

    private PageModel() {
    }

    static Map<String, Object> of(PageRequest request, PageTexts texts, String contact, long retryAfterSeconds,
            boolean plainText) {
        UpstreamFailure failure = request.failure();
        String cause = failure != null ? failure.cause().token()
                : request.upstreamStatus() != null ? UPSTREAM_ERROR : null;
        Map<String, Object> model = new HashMap<>();
        model.put("lang", PageLanguage.tag(request.locale()));
        model.put("status", request.status());
        model.put("title", texts.get(cause == null ? "page.generic.title" : "cause." + cause + ".title"));
        model.put("what", texts.get(cause == null ? "page.generic.what" : "cause." + cause + ".what"));
        model.put("toDo", texts.get(cause == null ? "page.generic.do" : "cause." + cause + ".do"));
        if (request.status() == 503) {
            model.put("retry", texts.get("page.retry.seconds").replace("{0}", Long.toString(retryAfterSeconds)));
        }
        model.put("incident", failure == null ? "-" : failure.incident());
        model.put("code", failure == null ? null : failure.type().token());
        model.put("time", DateTimeFormatter.ISO_INSTANT.format(
                (failure == null ? java.time.Instant.now() : failure.time()).truncatedTo(ChronoUnit.SECONDS)));
        model.put("contact", contact != null ? contact : texts.get("page.contact"));
        model.put("label", texts.labels());
        model.put("diagram", request.upstreamStatus() != null ? diagram(FailureCause.UPSTREAM_DOWN)
                : diagram(failure == null ? null : failure.cause()));
        if (request.operator() && failure != null) {
            Map<String, Object> operator = new LinkedHashMap<>();
            operator.put("type", failure.type().token());
            operator.put("cause", cause);
            operator.put("phase", failure.phase().token());
            operator.put("upstream", failure.upstream().orElse(null));
            operator.put("route", failure.route().orElse(null));
            operator.put("elapsedMillis", failure.elapsed().toMillis());
            operator.put("attempts", failure.attemptCount());
            operator.put("traceId", failure.traceId().orElse(null));
            operator.put("reason", clean(failure.reason(), plainText));
            operator.put("detail", failure.detail().isEmpty() ? null : clean(failure.detail(), plainText));
            operator.put("hints", texts.hints(cause));
            if (request.diagnosis() != null) {
                operator.put("diagnosis", diagnosis(request.diagnosis(), plainText));
            }
            model.put("operator", operator);
        }
        return model;
    }

    /** The upstream's latest diagnosis: the steps and the verdict, as the operator section lists them. */
    private static Map<String, Object> diagnosis(DiagnosisSummary summary, boolean plainText) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", DateTimeFormatter.ISO_INSTANT.format(summary.time().truncatedTo(ChronoUnit.SECONDS)));
        json.put("steps", summary.steps().stream().map(step -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step.step());
            line.put("state", step.state());
            line.put("ms", step.millis());
            line.put("took", step.millis() == null ? "" : step.millis() + " ms");
            line.put("summary", clean(step.summary(), plainText));
            return line;
        }).toList());
        json.put("verdict", clean(summary.verdict(), plainText));
        return json;
    }

    /** Where the request stopped: at the upstream, on the way to it, or at the gateway itself. */
    private static Map<String, Boolean> diagram(FailureCause cause) {
        boolean upstream = false;
        boolean link = false;
        boolean gateway = false;
        if (cause == null) {
            gateway = true;
        } else {
            switch (cause) {
                case UPSTREAM_DOWN:
                case UPSTREAM_OVERLOADED:
                case INVALID_RESPONSE:
                case MAINTENANCE:
                    upstream = true;
                    break;
                case NETWORK:
                case FIREWALL:
                case DNS:
                case TLS:
                    link = true;
                    break;
                default:
                    gateway = true;
            }
        }
        Map<String, Boolean> diagram = new HashMap<>();
        diagram.put("youBroken", false);
        diagram.put("clientLinkBroken", false);
        diagram.put("gatewayBroken", gateway);
        diagram.put("upstreamLinkBroken", link);
        diagram.put("upstreamBroken", upstream);
        diagram.put("upstreamUnreachable", link);
        return diagram;
    }

    /** Control characters never reach a page; HTML escaping is the template engine's. */
    static String clean(String value, boolean plainText) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || (plainText && (c == '\u2028' || c == '\u2029')) ? ' ' : c);
        }
        return out.toString();
    }
}
