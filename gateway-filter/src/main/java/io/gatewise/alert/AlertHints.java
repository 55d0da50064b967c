package io.gatewise.alert;

import io.gatewise.errorpage.Hints;
import io.gatewise.errorpage.PageLanguage;
import java.util.stream.Collectors;

/**
 * The operator hints of the error pages' built-in catalogue ({@link Hints}), in English, as an
 * alert's annotation: an alert tells the operator what the operator page would.
 */
final class AlertHints {
    private AlertHints() {
    }

    /**
     * @param cause a cause token, such as {@code upstream_down}
     * @return its hints, one a line, each with the config key to look at in brackets; empty if none
     */
    static String of(String cause) {
        return Hints.forCause(cause, PageLanguage.ENGLISH).stream().map(hint -> "- " + hint)
                .collect(Collectors.joining("\n"));
    }
}
