package io.gatewise.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The operator hints of the error pages' built-in catalogue, in English, by failure cause: an
 * alert tells the operator what the operator page would.
 */
final class AlertHints {
    private static final ResourceBundle TEXTS = ResourceBundle.getBundle("io.gatewise.errorpage.messages",
            Locale.ROOT, AlertHints.class.getClassLoader(),
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));

    private AlertHints() {
    }

    /**
     * @param cause a cause token, such as {@code upstream_down}
     * @return its hints, one a line, each with the config key to look at in brackets; empty if none
     */
    static String of(String cause) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; TEXTS.containsKey("hint." + cause + "." + i); i++) {
            String key = "hint." + cause + "." + i + ".key";
            lines.add("- " + TEXTS.getString("hint." + cause + "." + i)
                    + (TEXTS.containsKey(key) ? " [" + TEXTS.getString(key) + "]" : ""));
        }
        return String.join("\n", lines);
    }
}
