package io.gatewise.admin;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.gatewise.config.ClientLimitsConfig;
import io.gatewise.config.Durations;
import io.gatewise.failure.FailureEvent;
import io.gatewise.observe.ConnectionRejections;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.ReloadStats;
import io.gatewise.route.Route;
import io.gatewise.upstream.UpstreamState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page ({@code /admin/status}): routes and upstreams with their state and why, error
 * answers per route over the last 1 and 5 minutes, the latest failures linking to their records,
 * the instance's name, config version and last reload. Server-rendered HTML, no script; it
 * refreshes itself every 15 seconds. Every value is HTML-escaped.
 */
final class StatusPage {
    private static final int FAILURES_SHOWN = 20;
    private static final Template TEMPLATE = Mustache.compiler().escapeHTML(true).defaultValue("")
            .compile(resource("status.html.mustache"));

    private StatusPage() {
    }

    /**
     * @param gateway the gateway
     * @param base the admin endpoints' base path, for links (empty on the admin listener)
     * @return the page
     */
    static String render(Gateway gateway, String base) {
        ReloadStats reloads = gateway.reloads();
        String lastReload = reloads.lastResult().map(result -> time(result.at()) + (result.success() ? ""
                : " (failed: " + result.error().orElse("") + ")")).orElse("none since start");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", gateway.config().gateway().name());
        model.put("state", gateway.state().name().toLowerCase(Locale.ROOT));
        model.put("configVersion", gateway.configVersion().toString());
        model.put("lastReload", lastReload);
        model.put("now", time(Instant.now()));
        model.put("base", base);
        model.put("routes", gateway.routes().routes().stream().map(StatusPage::route).toList());
        model.put("rates", rates(gateway.traffic()));
        model.put("connectionLimits", connectionLimits(gateway));
        model.put("failures", gateway.recentFailures().latest(FAILURES_SHOWN).stream().map(StatusPage::failure)
                .toList());
        return TEMPLATE.execute(model);
    }

    /** @return each limit on client connections, its value and how often it turned one away */
    private static List<Map<String, Object>> connectionLimits(Gateway gateway) {
        ClientLimitsConfig limits = gateway.config().gateway().limits();
        ConnectionRejections rejections = gateway.connectionRejections();
        return List.of(
                connectionLimit(rejections, ConnectionRejections.Reason.MAX_CONNECTIONS, limits.maxConnections()),
                connectionLimit(rejections, ConnectionRejections.Reason.MAX_CONNECTIONS_PER_CLIENT,
                        limits.maxConnectionsPerClient()),
                connectionLimit(rejections, ConnectionRejections.Reason.REQUEST_HEAD_TIMEOUT,
                        Durations.format(limits.requestHeadTimeout())));
    }

    private static Map<String, Object> connectionLimit(ConnectionRejections rejections,
            ConnectionRejections.Reason reason, Object limit) {
        return Map.of("key", reason.key(), "limit", limit, "count", rejections.count(reason), "action",
                reason.action());
    }

    private static Map<String, Object> route(Route route) {
        Map<String, Object> json = AdminJson.route(route);
        List<Map<String, Object>> upstreams = new ArrayList<>();
        boolean anyAvailable = false;
        for (var status : route.upstreamStatuses()) {
            Map<String, Object> upstream = AdminJson.upstream(status);
            upstream.put("diagnoseQuery", "route=" + encode(route.config().path()) + "&upstream=" + encode(status.url()));
            upstream.put("since", time(status.since()));
            upstream.put("until", status.until().map(StatusPage::time).orElse(""));
            status.lastCheck().ifPresent(check -> upstream.put("lastCheck", Map.of("result", check.result(),
                    "phase", check.phase(), "time", time(check.time()))));
            upstreams.add(upstream);
            anyAvailable |= status.state() == UpstreamState.HEALTHY;
        }
        json.put("upstreams", upstreams);
        json.put("noneAvailable", !anyAvailable);
        return json;
    }

    private static List<Map<String, Object>> rates(TrafficWindows traffic) {
        Map<String, TrafficWindows.Window> minute = traffic.last(Duration.ofMinutes(1));
        List<Map<String, Object>> rows = new ArrayList<>();
        traffic.last(TrafficWindows.LONGEST).forEach((route, five) -> {
            if (five.requests() == 0 && five.errors().isEmpty()) {
                return;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("route", route);
            row.put("oneMinute", ratio(minute.get(route)));
            row.put("fiveMinutes", ratio(five));
            row.put("types", five.errors().entrySet().stream().map(type -> Map.of("type", type.getKey(),
                    "count", type.getValue())).toList());
            rows.add(row);
        });
        return rows;
    }

    private static String ratio(TrafficWindows.Window window) {
        if (window == null || window.requests() == 0) {
            return "no requests";
        }
        long errors = window.errors().values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%.1f%% (%d of %d)", 100 * window.errorRatio(), errors, window.requests());
    }

    private static Map<String, Object> failure(FailureEvent event) {
        Map<String, Object> row = AdminJson.failure(event);
        row.put("time", time(event.failure().time()));
        return row;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
