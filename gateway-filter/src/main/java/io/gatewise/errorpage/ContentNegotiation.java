package io.gatewise.errorpage;

import java.util.Locale;

/**
 * Picks the page format from {@code Accept} (RFC 9110, section 12.5.1), by q-value and then by
 * how specifically each format is named. HTML for browsers, problem+json for programs that ask
 * for JSON, plain text for everything else: curl, scripts, and a bare {@code * / *}.
 */
public final class ContentNegotiation {
    private ContentNegotiation() {
    }

    /**
     * @param accept the request's {@code Accept} header, or null
     * @return the format to render
     */
    public static PageFormat choose(String accept) {
        if (accept == null || accept.isBlank()) {
            return PageFormat.TEXT;
        }
        double html = -1;
        double json = -1;
        double text = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            switch (type) {
                case "text/html":
                case "application/xhtml+xml":
                    html = Math.max(html, q);
                    break;
                case "application/problem+json":
                case "application/json":
                    json = Math.max(json, q);
                    break;
                case "text/plain":
                    text = Math.max(text, q);
                    break;
                default:
                    // Wildcards and other types: no preference of their own; text is the fallback.
            }
        }
        if (html > 0 && html >= json && html >= text) {
            return PageFormat.HTML;
        }
        if (json > 0 && json >= text) {
            return PageFormat.PROBLEM_JSON;
        }
        return PageFormat.TEXT;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
