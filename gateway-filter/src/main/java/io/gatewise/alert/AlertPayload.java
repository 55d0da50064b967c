package io.gatewise.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Alertmanager's webhook payload (version 4), so a receiver built for Alertmanager takes the
 * gateway's alerts unchanged. Each notification holds one alert, grouped by {@code alertname} and
 * {@code route}, so replicas of the gateway, which differ in {@code instance} only, fall in one
 * group downstream.
 */
final class AlertPayload {
    /** The {@code receiver} of every payload. */
    static final String RECEIVER = "gatewise";
    /** What Alertmanager sends as the {@code endsAt} of an alert that still fires. */
    static final String NOT_ENDED = "0001-01-01T00:00:00Z";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertPayload() {
    }

    /**
     * @param alert the alert
     * @return the JSON body that notifies it
     */
    static byte[] body(Alert alert) {
        Map<String, String> groupLabels = new LinkedHashMap<>();
        groupLabels.put("alertname", alert.name());
        if (alert.labels().containsKey("route")) {
            groupLabels.put("route", alert.labels().get("route"));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "4");
        json.put("groupKey", "{}:{" + groupLabels.entrySet().stream()
                .map(label -> label.getKey() + "=\"" + label.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"")
                .collect(Collectors.joining(", ")) + "}");
        json.put("truncatedAlerts", 0);
        json.put("status", alert.status());
        json.put("receiver", RECEIVER);
        json.put("groupLabels", groupLabels);
        json.put("commonLabels", alert.labels());
        json.put("commonAnnotations", alert.annotations());
        json.put("externalURL", "");
        json.put("alerts", List.of(json(alert)));
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param alert an alert
     * @return it as {@code alerts[]} of the payload and {@code GET /admin/alerts} show it
     */
    static Map<String, Object> json(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", alert.status());
        json.put("labels", alert.labels());
        json.put("annotations", alert.annotations());
        json.put("startsAt", alert.startsAt().toString());
        json.put("endsAt", alert.endsAt().map(Object::toString).orElse(NOT_ENDED));
        json.put("generatorURL", "");
        json.put("fingerprint", alert.fingerprint());
        return json;
    }
}
