package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's templates folder replaces the built-in pages from most to least specific. */
class TemplateOverridesTest {
    @TempDir
    Path folder;

    private ErrorPageRenderer renderer;

    @BeforeEach
    void writeTemplates() throws Exception {
        Files.writeString(folder.resolve("connection_refused.zh-CN.html"), "<p>ZH REFUSED {{incident}}</p>");
        Files.writeString(folder.resolve("502.html"), "<p>STATUS PAGE {{status}}: {{title}}</p>");
        Files.writeString(folder.resolve("upstream_overloaded.txt"), "CAUSE PAGE {{title}} {{incident}}");
        Files.writeString(folder.resolve("default.html"), "<p>DEFAULT {{status}} {{what}}</p>");
        Files.writeString(folder.resolve("messages.properties"),
                "cause.upstream_down.title=Our API is taking a break <b>\n");
        renderer = ErrorPageRenderer.create(ErrorPagesConfig.builder().templates(folder.toString()).build());
    }

    private static UpstreamFailure failure(ProxyErrorType type) {
        return UpstreamFailure.builder().type(type).phase(Phase.CONNECT).incident("INC123").build();
    }

    private String render(ProxyErrorType type, PageFormat format, Locale locale) {
        UpstreamFailure failure = failure(type);
        return renderer.render(new PageRequest(failure, failure.status(), format, locale, false)).body();
    }

    @Test
    void typeAndLanguageWinsThenStatusThenCauseThenDefault() {
        assertThat(render(ProxyErrorType.CONNECTION_REFUSED, PageFormat.HTML, PageLanguage.CHINESE))
                .isEqualTo("<p>ZH REFUSED INC123</p>");
        assertThat(render(ProxyErrorType.CONNECTION_REFUSED, PageFormat.HTML, PageLanguage.ENGLISH))
                .isEqualTo("<p>STATUS PAGE 502: Our API is taking a break &lt;b&gt;</p>");
        assertThat(render(ProxyErrorType.HTTP_RESPONSE_TIMEOUT, PageFormat.TEXT, PageLanguage.ENGLISH))
                .isEqualTo("CAUSE PAGE The service is too slow to answer INC123");
        assertThat(render(ProxyErrorType.DESTINATION_NOT_FOUND, PageFormat.HTML, PageLanguage.ENGLISH))
                .isEqualTo("<p>DEFAULT 500 The gateway has no service configured for this address.</p>");
    }

    @Test
    void aRoutesOwnFolderComesFirstThenTheGatewaysThenTheBuiltInPage() throws Exception {
        Path routeFolder = Files.createDirectory(folder.resolve("orders-route"));
        Files.writeString(routeFolder.resolve("connection_refused.html"), "<p>ORDERS ROUTE {{title}}</p>");
        Files.writeString(routeFolder.resolve("messages.properties"), "cause.upstream_down.title=Orders are paused\n");
        ErrorPageRenderer route = renderer.forRoute(routeFolder);

        UpstreamFailure refused = failure(ProxyErrorType.CONNECTION_REFUSED);
        UpstreamFailure slow = failure(ProxyErrorType.HTTP_RESPONSE_TIMEOUT);
        assertThat(route.render(new PageRequest(refused, 502, PageFormat.HTML, PageLanguage.ENGLISH, false)).body())
                .isEqualTo("<p>ORDERS ROUTE Orders are paused</p>");
        assertThat(route.render(new PageRequest(slow, 504, PageFormat.TEXT, PageLanguage.ENGLISH, false)).body())
                .as("the gateway's cause template").isEqualTo("CAUSE PAGE The service is too slow to answer INC123");
        assertThat(route.render(new PageRequest(refused, 502, PageFormat.TEXT, PageLanguage.CHINESE, false)).body())
                .as("the built-in page").startsWith("502 服务暂时没有响应");
    }

    @Test
    void withoutAnOverrideTheBuiltInPageIsUsed() {
        assertThat(render(ProxyErrorType.DESTINATION_NOT_FOUND, PageFormat.TEXT, PageLanguage.ENGLISH))
                .startsWith("500 This address is not served here");
        assertThat(render(ProxyErrorType.CONNECTION_TIMEOUT, PageFormat.TEXT, PageLanguage.CHINESE))
                .startsWith("504 无法连接到服务");
    }

    @Test
    void namesThatCouldLeaveTheFolderAreRefused() throws Exception {
        Files.writeString(folder.getParent().resolve("outside.html"), "SECRET");
        TemplateStore store = TemplateStore.load(folder);

        assertThat(store.override("../outside.html")).isEmpty();
        assertThat(store.override("..%2Foutside.html")).isEmpty();
        assertThat(store.override("/etc/passwd")).isEmpty();
        assertThat(store.override("502.html")).isPresent();
        assertThat(store.overrideCount()).isEqualTo(4);
    }

    @Test
    void brokenTemplateStopsStartUpNamingTheFile() throws Exception {
        Files.writeString(folder.resolve("503.html"), "<p>{{#unclosed}} never closed</p>");

        assertThatThrownBy(() -> ErrorPageRenderer.create(ErrorPagesConfig.builder().templates(folder.toString()).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("503.html");
    }

    @Test
    void aTemplateNamedLikeTheBuiltInPagesCountsAsWithoutMustache() throws Exception {
        Files.writeString(folder.resolve("504.html.mustache"), "<p>FROM A COPIED BUILT-IN {{status}}</p>");
        ErrorPageRenderer copied = ErrorPageRenderer.create(ErrorPagesConfig.builder().templates(folder.toString())
                .build());
        UpstreamFailure failure = failure(ProxyErrorType.CONNECTION_TIMEOUT);

        assertThat(copied.render(new PageRequest(failure, 504, PageFormat.HTML, PageLanguage.ENGLISH, false)).body())
                .isEqualTo("<p>FROM A COPIED BUILT-IN 504</p>");
    }

    @Test
    void aTemplateNamedForNoFormatIsRefusedNamingTheFile() throws Exception {
        Files.writeString(folder.resolve("default.mustache"), "{{status}}");

        assertThatThrownBy(() -> ErrorPageRenderer.create(ErrorPagesConfig.builder().templates(folder.toString()).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("default.mustache").hasMessageContaining("such as default.html");
    }

    @Test
    void missingTemplatesFolderIsAConfigError() {
        assertThatThrownBy(() -> ErrorPagesConfig.builder().templates(folder.resolve("nope").toString()))
                .hasMessageContaining("templates: \"" + folder.resolve("nope") + "\" is not a folder");
    }
}
