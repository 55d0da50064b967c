package io.gatewise.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.alert.DeliveryResult;
import io.gatewise.failure.Attempt;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.runtime.ReloadResult;
import io.gatewise.route.Route;
import io.gatewise.upstream.HealthCheckResult;
import io.gatewise.upstream.UpstreamStatus;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API's JSON: what it writes, and reading what it is sent. */
final class AdminJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param body a request body
     * @return its JSON object
     * @throws IllegalArgumentException if it is not a JSON object, with what is wrong
     */
    static JsonNode readObject(String body) {
        JsonNode node;
        try {
            node = body.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return node;
    }

    /** @return one route with its upstreams, where each stands and why */
    static Map<String, Object> route(Route route) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("route", route.config().path());
        json.put("maintenance", route.inMaintenance());
        json.put("upstreams", route.upstreamStatuses().stream().map(AdminJson::upstream).toList());
        return json;
    }

    static Map<String, Object> upstream(UpstreamStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", status.url());
        json.put("state", status.state().token());
        json.put("reason", status.reason());
        json.put("since", status.since().toString());
        json.put("until", status.until().map(Object::toString).orElse(null));
        json.put("consecutiveFailures", status.consecutiveFailures());
        json.put("inFlight", status.inFlight());
        json.put("circuit", status.circuit().orElse(null));
        json.put("lastCheck", status.lastCheck().map(AdminJson::check).orElse(null));
        return json;
    }

    private static Map<String, Object> check(HealthCheckResult check) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", check.time().toString());
        json.put("passed", check.passed());
        json.put("result", check.result());
        json.put("phase", check.phase());
        return json;
    }

    /** @return a failure as the list shows it */
    static Map<String, Object> failure(FailureEvent event) {
        UpstreamFailure failure = event.failure();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("incident", failure.incident());
        json.put("time", failure.time().toString());
        json.put("type", failure.type().token());
        json.put("status", failure.status());
        json.put("cause", failure.cause().token());
        json.put("phase", failure.phase().token());
        json.put("route", failure.route().orElse(null));
        json.put("upstream", failure.upstream().orElse(null));
        json.put("attempts", failure.attemptCount());
        json.put("reason", failure.reason());
        json.put("traceId", failure.traceId().orElse(null));
        return json;
    }

    /** @return a failure with its operator detail: the request, each attempt, the exception */
    static Map<String, Object> failureRecord(FailureEvent event) {
        UpstreamFailure failure = event.failure();
        Map<String, Object> json = failure(event);
        json.put("method", event.method());
        json.put("path", event.path());
        json.put("client", event.client());
        json.put("elapsedMillis", failure.elapsed().toMillis());
        json.put("receivedStatus", failure.receivedStatus().orElse(null));
        json.put("committed", failure.responseCommitted());
        json.put("parameters", failure.parameters());
        json.put("attemptDetails", failure.attempts().stream().map(AdminJson::attempt).toList());
        json.put("detail", failure.detail());
        return json;
    }

    private static Map<String, Object> attempt(Attempt attempt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("upstream", attempt.upstream());
        json.put("type", attempt.type() == null ? null : attempt.type().token());
        json.put("phase", attempt.phase() == null ? null : attempt.phase().token());
        json.put("elapsedMillis", attempt.elapsed() == null ? null : attempt.elapsed().toMillis());
        json.put("receivedStatus", attempt.receivedStatus() == 0 ? null : attempt.receivedStatus());
        return json;
    }

    /**
     * @param result what a reload did
     * @return {@code result} ({@code success} or {@code failure}), {@code error} (the located
     *     message), the {@code version} serving now, {@code at}, and {@code restartRequired}: the
     *     changed keys that wait for a restart
     */
    static Map<String, Object> reload(ReloadResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("result", result.success() ? "success" : "failure");
        result.error().ifPresent(error -> json.put("error", error));
        json.put("version", result.version().toString());
        json.put("at", result.at().toString());
        json.put("restartRequired", result.restartRequired());
        return json;
    }

    /** @return one test delivery: the webhook ({@code host:port}), success, the status it answered, the error */
    static Map<String, Object> delivery(DeliveryResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("webhook", result.webhook());
        json.put("result", result.success() ? "success" : "failure");
        json.put("status", result.status().orElse(null));
        result.error().ifPresent(error -> json.put("error", error));
        return json;
    }

    /** @return {@code {"error": message}} */
    static String error(String message) {
        return write(Map.of("error", message));
    }

    /** @return the routes as {@code /admin/upstreams} lists them */
    static String routes(List<Route> routes) {
        return write(Map.of("routes", routes.stream().map(AdminJson::route).toList()));
    }
}
