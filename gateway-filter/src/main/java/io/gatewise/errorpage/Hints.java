package io.gatewise.errorpage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator hints of the built-in catalogue ({@code hint.<cause>.<n>} in
 * {@code messages.properties} and {@code messages_zh_CN.properties}), for code outside the error
 * pages that tells an operator how to fix a cause: the diagnosis.
 */
public final class Hints {
    private static final Map<Locale, PageTexts> TEXTS = Map.of(
            PageLanguage.ENGLISH, PageTexts.load(PageLanguage.ENGLISH, List.of()),
            PageLanguage.CHINESE, PageTexts.load(PageLanguage.CHINESE, List.of()));

    private Hints() {
    }

    /**
     * @param cause a cause token, such as {@code tls} or {@code upstream_error}
     * @param locale {@link PageLanguage#CHINESE} for Chinese, anything else for English
     * @return its hints in order, each followed by the config key to look at in brackets where
     *     there is one; empty for a cause without hints
     */
    public static List<String> forCause(String cause, Locale locale) {
        PageTexts texts = TEXTS.get(PageLanguage.CHINESE.equals(locale) ? PageLanguage.CHINESE : PageLanguage.ENGLISH);
        return texts.hints(cause).stream()
                .map(hint -> hint.get("text") + (hint.get("key") == null ? "" : " [" + hint.get("key") + "]"))
                .toList();
    }
}
