package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.config.Durations;
import io.gatewise.config.RouteErrorRateRuleConfig;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.route.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GatewiseRouteErrorRate}: the gateway's own error answers over a route's requests, in the
 * last {@code window}, above {@code threshold}, with at least {@code minRequests} requests.
 */
final class RouteErrorRateRule implements AlertRule {
    @Override
    public String name() {
        return Alert.ROUTE_ERROR_RATE;
    }

    @Override
    public boolean enabled(AlertRulesConfig rules) {
        return rules.routeErrorRate().enabled();
    }

    @Override
    public Duration pendingFor(AlertRulesConfig rules) {
        return rules.routeErrorRate().pendingFor();
    }

    @Override
    public List<Candidate> evaluate(RuleContext context) {
        RouteErrorRateRuleConfig rule = context.rules().routeErrorRate();
        Map<String, TrafficWindows.Window> windows = context.inputs().traffic().last(rule.window());
        List<Candidate> holding = new ArrayList<>();
        for (Route route : context.inputs().routes().routes()) {
            String path = route.config().path();
            TrafficWindows.Window window = windows.get(path);
            if (window == null || window.requests() < rule.minRequests() || window.errorRatio() <= rule.threshold()) {
                continue;
            }
            long errors = window.errors().values().stream().mapToLong(Long::longValue).sum();
            Map.Entry<String, Long> top = window.errors().entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(
                            Comparator.reverseOrder())))
                    .orElseThrow();
            Optional<UpstreamFailure> latest = context.inputs().traffic().latestFailure(path, top.getKey());
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("summary", "Route " + path + " answers " + percent(window.errorRatio())
                    + " of its requests with gateway errors");
            annotations.put("description", errors + " of " + window.requests() + " requests to " + path
                    + " in the last " + Durations.format(rule.window()) + " got an error answer from the gateway"
                    + " (threshold " + percent(rule.threshold()) + ", at least " + rule.minRequests()
                    + " requests). Top error type: " + top.getKey() + " (" + top.getValue() + ")"
                    + latest.map(failure -> ", cause " + failure.cause().token() + ", phase " + failure.phase().token())
                            .orElse("") + ".");
            annotations.put("error_ratio", String.format(Locale.ROOT, "%.4f", window.errorRatio()));
            context.describe(annotations, latest);
            holding.add(new Candidate(Candidate.labels(name(), "critical", context, "route", path), annotations));
        }
        return holding;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}
