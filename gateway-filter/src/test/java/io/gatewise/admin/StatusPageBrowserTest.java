package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.Chromium;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page in headless Chromium, as an operator opens it: the browser answers the Basic
 * challenge with the token as the password. It shows each upstream's state and why, the error
 * answers per route, and the latest failures linking to their records; no script needed.
 */
class StatusPageBrowserTest {
    private static Path screenshots;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @BeforeAll
    static void needsChromium() {
        screenshots = Chromium.requireInstalled();
    }

    @Test
    void showsStatesWithTheWhyErrorRatesAndRecentFailures() throws Exception {
        int refused = ClosedPort.find();
        JettyUpstream healthy = gateways.jettyUpstream(new EchoServlet());
        RunningGateway gateway = gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstreams(List.of(
                        UpstreamConfig.builder().url("http://127.0.0.1:" + refused).build(),
                        UpstreamConfig.builder().url(healthy.url()).build()))
                        .ejection(EjectionConfig.builder().consecutiveFailures(1).baseTime(Duration.ofMinutes(5))
                                .maxEjectedPercent(50).build()).build())
                .route(RouteConfig.builder().path("/orders/").upstream("http://127.0.0.1:" + refused).build())
                .admin(AdminConfig.builder().port(0).token(AdminApiTest.TOKEN).build())
                .start();
        for (int i = 0; i < 4; i++) {
            gateway.get("/api/items/" + i);
            gateway.get("/orders/" + i);
        }
        gateway.server().gateway().route("/orders/").orElseThrow().pool().endpoints().get(0).drain(true);
        String incident = gateway.pendingEvents().get(gateway.pendingEvents().size() - 1).failure().incident();
        String url = gateway.adminUrl().replace("http://", "http://operator:" + AdminApiTest.TOKEN + "@")
                + "/admin/status";

        String page = Chromium.dumpDom(url, "en-US");
        Chromium.screenshot(url, "en-US", screenshots.resolve("status-page.png"));

        assertThat(page).contains("<title>edge-test · Gatewise status</title>", "/api/", "/orders/",
                "class=\"state ejected\"", "class=\"state healthy\"", "class=\"state draining\"", "connection_refused",
                "no upstream available", "/admin/failures/" + incident)
                .doesNotContain("<script");
        assertThat(page).containsPattern("100\\.0% \\(4 of 4\\)");
        assertThat(Files.size(screenshots.resolve("status-page.png"))).isGreaterThan(10_000);
    }
}
