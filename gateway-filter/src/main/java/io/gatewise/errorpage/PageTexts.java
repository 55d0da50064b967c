package io.gatewise.errorpage;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Properties;
import java.util.ResourceBundle;

/**
 * The texts of the error pages in one language: the built-in message bundle
 * ({@code io/gatewise/errorpage/messages*.properties}), with an operator's overrides from
 * {@code messages.properties} / {@code messages_zh_CN.properties} in the templates folder.
 */
final class PageTexts {
    private static final String BUNDLE = "io.gatewise.errorpage.messages";

    private final Map<String, String> texts = new HashMap<>();
    private final Map<String, String> labels;

    private PageTexts(Locale locale, List<Path> folders) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale, PageTexts.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        for (String key : bundle.keySet()) {
            texts.put(key, bundle.getString(key));
        }
        for (Path overrides : folders) {
            Path file = overrides.resolve(PageLanguage.CHINESE.equals(locale) ? "messages_zh_CN.properties"
                    : "messages.properties");
            if (Files.isRegularFile(file)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
                }
                properties.forEach((key, value) -> texts.put(String.valueOf(key), String.valueOf(value)));
            }
        }
        labels = buildLabels();
    }

    /**
     * @param locale {@link PageLanguage#ENGLISH} or {@link PageLanguage#CHINESE}
     * @param folders the operator's folders, least specific first (the gateway's, then a route's)
     * @return the texts
     * @throws IllegalStateException if an override file cannot be read
     */
    static PageTexts load(Locale locale, List<Path> folders) {
        try {
            return new PageTexts(locale, folders);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("built-in error page texts missing for " + locale, e);
        }
    }

    /**
     * @param key a key such as {@code cause.dns.title}
     * @return the text, or the key itself if it has none (visible, never a blank page)
     */
    String get(String key) {
        return texts.getOrDefault(key, key);
    }

    /** @return the page's fixed labels by template name, built once: they do not change per failure */
    Map<String, String> labels() {
        return labels;
    }

    private Map<String, String> buildLabels() {
        Map<String, String> labels = new HashMap<>();
        labels.put("suffix", get("page.title.suffix"));
        labels.put("trace", get("page.operator.trace"));
        labels.put("status", get("page.status"));
        labels.put("you", get("page.you"));
        labels.put("gateway", get("page.gateway"));
        labels.put("upstream", get("page.upstream"));
        labels.put("diagram", get("page.diagram.label"));
        labels.put("ok", get("page.diagram.ok"));
        labels.put("broken", get("page.diagram.broken"));
        labels.put("unreachable", get("page.diagram.unreachable"));
        labels.put("whatHeading", get("page.what.heading"));
        labels.put("doHeading", get("page.do.heading"));
        labels.put("incident", get("page.incident"));
        labels.put("code", get("page.code"));
        labels.put("time", get("page.time"));
        labels.put("operatorHeading", get("page.operator.heading"));
        labels.put("type", get("page.operator.type"));
        labels.put("cause", get("page.operator.cause"));
        labels.put("phase", get("page.operator.phase"));
        labels.put("upstreamAddress", get("page.operator.upstream"));
        labels.put("route", get("page.operator.route"));
        labels.put("elapsed", get("page.operator.elapsed"));
        labels.put("attempts", get("page.operator.attempts"));
        labels.put("reason", get("page.operator.reason"));
        labels.put("detail", get("page.operator.detail"));
        labels.put("hints", get("page.operator.hints"));
        labels.put("key", get("page.operator.key"));
        labels.put("operatorNotice", get("page.operator.notice"));
        labels.put("diagnosis", get("page.operator.diagnosis"));
        return Map.copyOf(labels);
    }

    /**
     * @param cause a cause token
     * @return its operator hints, in order: text and the config key to look at (null if none)
     */
    List<Map<String, String>> hints(String cause) {
        List<Map<String, String>> hints = new ArrayList<>();
        for (int i = 1; texts.containsKey("hint." + cause + "." + i); i++) {
            Map<String, String> hint = new HashMap<>();
            hint.put("text", texts.get("hint." + cause + "." + i));
            hint.put("key", texts.get("hint." + cause + "." + i + ".key"));
            hints.add(hint);
        }
        return hints;
    }
}
