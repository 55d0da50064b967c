package io.gatewise.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert whose condition holds at one evaluation: not firing yet until it has held for the
 * rule's {@code for}.
 *
 * @param labels what identifies it
 * @param annotations what it says now
 */
record Candidate(Map<String, String> labels, Map<String, String> annotations) {
    /**
     * @param name the alert name
     * @param severity {@code critical} or {@code warning}
     * @param context gives the {@code instance} label
     * @param more more labels, as name, value pairs
     * @return the labels of an alert
     */
    static Map<String, String> labels(String name, String severity, RuleContext context, String... more) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", name);
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        labels.put("severity", severity);
        labels.put("instance", context.instance());
        return labels;
    }

    /** @return its fingerprint */
    String fingerprint() {
        return Alert.fingerprint(labels);
    }
}
