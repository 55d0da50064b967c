package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.failure.FailureCause;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every cause has its page texts and operator hints in English and in Chinese, not borrowed from English. */
class PageTextsTest {
    private static final PageTexts ENGLISH = PageTexts.load(PageLanguage.ENGLISH, List.of());
    private static final PageTexts CHINESE = PageTexts.load(PageLanguage.CHINESE, List.of());

    @ParameterizedTest
    @EnumSource(FailureCause.class)
    void everyCauseHasItsTextsInBothLanguages(FailureCause cause) {
        for (String part : List.of("title", "what", "do")) {
            String key = "cause." + cause.token() + "." + part;
            assertThat(ENGLISH.get(key)).as(key).isNotEqualTo(key).isNotBlank();
            assertThat(CHINESE.get(key)).as(key + " in Chinese").isNotEqualTo(key).isNotEqualTo(ENGLISH.get(key));
        }
    }

    @ParameterizedTest
    @EnumSource(FailureCause.class)
    void everyCauseHasOperatorHintsInBothLanguages(FailureCause cause) {
        assertThat(ENGLISH.hints(cause.token())).as("hints for " + cause).isNotEmpty();
        assertThat(CHINESE.hints(cause.token())).as("hints in Chinese for " + cause)
                .hasSameSizeAs(ENGLISH.hints(cause.token()))
                .doesNotContainAnyElementsOf(ENGLISH.hints(cause.token()));
    }
}
