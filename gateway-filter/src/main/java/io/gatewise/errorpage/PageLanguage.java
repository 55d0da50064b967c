package io.gatewise.errorpage;

import java.util.List;
import java.util.Locale;

/**
 * Picks the page language from {@code Accept-Language} (RFC 4647 ranges with q-values): Simplified
 * Chinese for any {@code zh} range ({@code zh}, {@code zh-CN}, {@code zh-Hans}, ...), English
 * otherwise.
 */
public final class PageLanguage {
    /** English. */
    public static final Locale ENGLISH = Locale.ENGLISH;
    /** Simplified Chinese. */
    public static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

    private PageLanguage() {
    }

    /**
     * @param acceptLanguage the request's {@code Accept-Language} header, or null
     * @return {@link #CHINESE} or {@link #ENGLISH}
     */
    public static Locale choose(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return ENGLISH;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return ENGLISH;
        }
        // Ranges come sorted by q-value, highest first; the first one we serve wins.
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() <= 0) {
                continue;
            }
            String primary = range.getRange().split("-")[0];
            if (primary.equals("zh")) {
                return CHINESE;
            }
            if (primary.equals("en") || primary.equals("*")) {
                return ENGLISH;
            }
        }
        return ENGLISH;
    }

    /**
     * @param locale a page language
     * @return its tag for {@code lang} and {@code Content-Language}: {@code en} or {@code zh-CN}
     */
    public static String tag(Locale locale) {
        return CHINESE.equals(locale) ? "zh-CN" : "en";
    }
}
