package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.Chromium;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The error page in a real browser: headless Debian Chromium loads it from a running gateway; the
 * test reads the DOM Chromium rendered and saves a screenshot per language (and of the operator
 * view) under {@code target/screenshots}, or the folder in {@code -Dgatewise.screenshots}
 * ({@code src/docs} for README and docs/error-pages.md). {@code .ci/run} installs Chromium where it is missing.
 */
class ErrorPageBrowserTest {
    private static Path screenshots;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @BeforeAll
    static void needsChromium() {
        screenshots = Chromium.requireInstalled();
    }

    private RunningGateway gateway(ErrorPagesConfig pages, int port) throws Exception {
        return gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:" + port).build())
                .gatewayErrorPages(pages).start();
    }

    @Test
    void visitorPageRendersInEnglishAndChineseWithTheDiagram() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = gateway(ErrorPagesConfig.defaults(), port);
        String url = gateway.url("/api/orders");

        String english = Chromium.dumpDom(url, "en-US");
        String chinese = Chromium.dumpDom(url, "zh-CN");
        Chromium.screenshot(url, "en-US", screenshots.resolve("error-page-en.png"));
        Chromium.screenshot(url, "zh-CN", screenshots.resolve("error-page-zh-CN.png"));

        assertThat(english).contains("<title>502 · The service is not responding · Gatewise</title>",
                "<html lang=\"en\">", "What can I do?")
                .containsPattern("class=\"node broken\" id=\"upstream\"")
                .doesNotContain("id=\"operator\"").doesNotContain("127.0.0.1:" + port);
        assertThat(chinese).contains("<title>502 · 服务暂时没有响应 · Gatewise</title>", "<html lang=\"zh-CN\">",
                "我可以做什么？").containsPattern("class=\"node broken\" id=\"upstream\"");
        for (String name : List.of("error-page-en.png", "error-page-zh-CN.png")) {
            byte[] png = Files.readAllBytes(screenshots.resolve(name));
            assertThat(png.length).as(name).isGreaterThan(5_000);
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void operatorPageShowsTheHintsToATrustedNetwork() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = gateway(ErrorPagesConfig.builder()
                .operator(new ErrorPagesConfig.Operator().trustedNetworks(List.of("127.0.0.1/32"))).build(), port);
        String url = gateway.url("/api/orders");

        String dom = Chromium.dumpDom(url, "en-US");
        Chromium.screenshot(url, "en-US", screenshots.resolve("error-page-operator.png"));

        assertThat(dom).contains("id=\"operator\"", "127.0.0.1:" + port, "connection_refused",
                "Check that the upstream process is running", "<code>routes[].upstreams[].url</code>");
        assertThat(Files.size(screenshots.resolve("error-page-operator.png"))).isGreaterThan(5_000);
    }
}
