package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.route.Route;
import io.gatewise.upstream.UpstreamState;
import io.gatewise.upstream.UpstreamStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GatewiseRouteDown}: no upstream of a route (backups included) can take traffic, as the
 * health checks, ejections, circuits and drains say. A route an operator put in maintenance is
 * down on purpose and does not alert.
 */
final class RouteDownRule implements AlertRule {
    @Override
    public String name() {
        return Alert.ROUTE_DOWN;
    }

    @Override
    public boolean enabled(AlertRulesConfig rules) {
        return rules.routeDown().enabled();
    }

    @Override
    public Duration pendingFor(AlertRulesConfig rules) {
        return rules.routeDown().pendingFor();
    }

    @Override
    public List<Candidate> evaluate(RuleContext context) {
        List<Candidate> holding = new ArrayList<>();
        for (Route route : context.inputs().routes().routes()) {
            if (route.inMaintenance()) {
                continue;
            }
            List<UpstreamStatus> upstreams = route.upstreamStatuses();
            if (upstreams.stream().anyMatch(upstream -> upstream.state() == UpstreamState.HEALTHY)) {
                continue;
            }
            String path = route.config().path();
            Optional<UpstreamFailure> latest = context.inputs().traffic().latestFailure(path);
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("summary", "No upstream of route " + path + " can take traffic");
            annotations.put("description", "None of the " + upstreams.size() + " upstream(s) of " + path
                    + " is healthy: " + upstreams.stream()
                            .map(upstream -> upstream.url() + " " + upstream.state().token() + " (" + upstream.reason()
                                    + ")")
                            .collect(Collectors.joining("; "))
                    + ". Requests to it are answered with errors until one is back"
                    + latest.map(failure -> ". Latest failure: " + failure.type().token() + ", cause "
                                    + failure.cause().token() + ", phase " + failure.phase().token())
                            .orElse("") + ".");
            context.describe(annotations, latest);
            annotations.putIfAbsent("hints", AlertHints.of("upstream_down"));
            holding.add(new Candidate(Candidate.labels(name(), "critical", context, "route", path), annotations));
        }
        return holding;
    }
}
