package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NegotiationTest {
    @Test
    void browsersGetHtmlProgramsGetProblemJsonEverythingElseText() {
        assertThat(ContentNegotiation.choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
                .isEqualTo(PageFormat.HTML);
        assertThat(ContentNegotiation.choose("application/json")).isEqualTo(PageFormat.PROBLEM_JSON);
        assertThat(ContentNegotiation.choose("application/problem+json, text/plain;q=0.5"))
                .isEqualTo(PageFormat.PROBLEM_JSON);
        assertThat(ContentNegotiation.choose("*/*")).as("curl").isEqualTo(PageFormat.TEXT);
        assertThat(ContentNegotiation.choose(null)).isEqualTo(PageFormat.TEXT);
        assertThat(ContentNegotiation.choose("image/png")).isEqualTo(PageFormat.TEXT);
    }

    @Test
    void qValuesDecide() {
        assertThat(ContentNegotiation.choose("text/html;q=0.2, application/json;q=0.9")).isEqualTo(PageFormat.PROBLEM_JSON);
        assertThat(ContentNegotiation.choose("application/json;q=0, text/html;q=0")).isEqualTo(PageFormat.TEXT);
        assertThat(ContentNegotiation.choose("text/html;q=nonsense, text/plain")).isEqualTo(PageFormat.TEXT);
    }

    @Test
    void everyWayOfAskingForChineseGetsSimplifiedChinese() {
        for (String header : new String[] {"zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zh-CN,zh;q=0.9,en;q=0.8",
                "fr;q=0.9, zh;q=0.8"}) {
            assertThat(PageLanguage.choose(header)).as(header).isEqualTo(PageLanguage.CHINESE);
        }
    }

    @Test
    void englishIsTheFallback() {
        assertThat(PageLanguage.choose("en-US,en;q=0.9,zh;q=0.5")).isEqualTo(PageLanguage.ENGLISH);
        assertThat(PageLanguage.choose("de-DE")).isEqualTo(PageLanguage.ENGLISH);
        assertThat(PageLanguage.choose("zh;q=0, en")).isEqualTo(PageLanguage.ENGLISH);
        assertThat(PageLanguage.choose("<script>")).isEqualTo(PageLanguage.ENGLISH);
        assertThat(PageLanguage.choose(null)).isEqualTo(PageLanguage.ENGLISH);
        assertThat(PageLanguage.tag(PageLanguage.CHINESE)).isEqualTo("zh-CN");
    }
}
