package io.gatewise.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.client.ClientSettings;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.HoldingServlet;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import io.gatewise.upstream.Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the configuration while the gateway serves, from a real file. */
class ConfigReloadTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path folder;

    static String config(String routes) {
        return "gateway:\n  name: edge-test\n  host: 127.0.0.1\n  port: 0\nroutes:\n" + routes;
    }

    static String route(String path, String url, String more) {
        return "  - path: " + path + "\n    upstreams:\n      - url: " + url + "\n" + more;
    }

    private Path write(String text) throws Exception {
        Path file = folder.resolve("gatewise.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void reloadServesANewRouteAndAnswersARemovedOneAsUnrouted() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        JettyUpstream b = gateways.jettyUpstream(new NamedServlet("b"));
        Path file = write(config(route("/a/", a.url(), "") + route("/old/", a.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).start();
        Gateway gateway = running.server().gateway();
        assertThat(running.get("/old/x").getContentAsString()).isEqualTo("a");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                gateway.traffic().last(TrafficWindows.LONGEST)).as("the answer counted").containsKey("/old/"));

        write(config(route("/a/", a.url(), "") + route("/b/", b.url(), "")));
        ReloadResult result = gateway.reloadFromSource();

        assertThat(result.success()).as(result.toString()).isTrue();
        assertThat(gateway.traffic().last(TrafficWindows.LONGEST)).as("a removed route's traffic is forgotten")
                .doesNotContainKey("/old/");
        assertThat(result.version().generation()).isEqualTo(2);
        assertThat(result.version().digest()).isPresent();
        assertThat(gateway.configVersion()).isEqualTo(result.version());
        assertThat(running.get("/b/x").getContentAsString()).isEqualTo("b");
        assertThat(running.get("/a/x").getContentAsString()).isEqualTo("a");
        assertThat(running.get("/old/x").getStatus()).as("unrouted").isEqualTo(500);
        assertThat(gateway.reloads().successes()).isEqualTo(1);
        assertThat(gateway.reloads().failures()).isZero();
        assertThat(gateway.reloads().lastSuccess()).contains(result.at());
    }

    @Test
    void badFileIsRefusedWithItsLocationAndTheOldConfigKeepsServing() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path file = write(config(route("/a/", a.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).start();
        Gateway gateway = running.server().gateway();
        ConfigVersion before = gateway.configVersion();

        write(config(route("/a/", a.url(), "    timeouts: { connect: -2s }\n")));
        ReloadResult result = gateway.reloadFromSource();

        assertThat(result.success()).isFalse();
        assertThat(result.error().orElseThrow()).startsWith(file + ":9:26: ").contains("routes[0].timeouts.connect");
        assertThat(result.version()).isEqualTo(before);
        assertThat(gateway.configVersion()).isEqualTo(before);
        assertThat(running.get("/a/x").getContentAsString()).isEqualTo("a");
        assertThat(gateway.reloads().failures()).isEqualTo(1);
        assertThat(gateway.reloads().successes()).isZero();
        assertThat(gateway.reloads().lastResult()).contains(result);
    }

    @Test
    void brokenTemplateIsRefusedBeforeAnythingChanges() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path file = write(config(route("/a/", a.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).start();
        Gateway gateway = running.server().gateway();
        Path templates = Files.createDirectory(folder.resolve("templates"));
        Files.writeString(templates.resolve("error.html"), "<p>{{#unclosed}}</p>");

        write(config(route("/a/", a.url(), "    errorPageTemplates: " + templates + "\n")
                + route("/new/", a.url(), "")));
        ReloadResult result = gateway.reloadFromSource();

        assertThat(result.success()).isFalse();
        assertThat(result.error().orElseThrow()).contains("error.html");
        assertThat(running.get("/new/x").getStatus()).as("still unrouted").isEqualTo(500);
    }

    @Test
    void ejectedUpstreamStaysEjectedAndMaintenanceStaysOnAcrossAReload() throws Exception {
        TestClock clock = new TestClock();
        JettyUpstream good = gateways.jettyUpstream(new NamedServlet("good"));
        JettyUpstream dead = gateways.jettyUpstream(new NamedServlet("dead"));
        String deadUrl = dead.url();
        dead.close();
        String api = "  - path: /api/\n    upstreams:\n      - url: " + deadUrl + "\n      - url: " + good.url() + "\n"
                + "    ejection: { consecutiveFailures: 1 }\n";
        Path file = write(config(api + route("/m/", good.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).clock(clock).start();
        Gateway gateway = running.server().gateway();
        Endpoint deadEndpoint = gateway.route("/api/").orElseThrow().pool().endpoints().get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            running.get("/api/x");
            return deadEndpoint.ejected();
        });
        gateway.route("/m/").orElseThrow().maintenance(true);

        write(config(api + route("/m/", good.url(), "") + route("/new/", good.url(), "")));
        ReloadResult result = gateway.reloadFromSource();

        assertThat(result.success()).as(result.toString()).isTrue();
        Endpoint after = gateway.route("/api/").orElseThrow().pool().endpoints().get(0);
        assertThat(after.ejected()).as("still ejected").isTrue();
        assertThat(after.ejectedUntilMillis()).isEqualTo(deadEndpoint.ejectedUntilMillis());
        assertThat(gateway.route("/m/").orElseThrow().inMaintenance()).isTrue();
        assertThat(running.get("/m/x").getStatus()).isEqualTo(503);
        assertThat(running.get("/new/x").getContentAsString()).isEqualTo("good");
        for (int i = 0; i < 4; i++) {
            assertThat(running.get("/api/x").getContentAsString()).as("the ejected one gets nothing").isEqualTo("good");
        }
    }

    @Test
    void requestHeldAtARemovedUpstreamCompletesAndItsClientClosesAfterwards() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyUpstream holding = gateways.jettyUpstream(new HoldingServlet(arrived, release));
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        // Its own connect timeout gives the removed route a client of its own.
        String old = route("/old/", holding.url(), "    stripPrefix: true\n    timeouts: { connect: 3s }\n");
        Path file = write(config(route("/a/", a.url(), "") + old));
        RunningGateway running = gateways.builder().configFile(file).start();
        Gateway gateway = running.server().gateway();
        ClientSettings oldSettings = gateway.route("/old/").orElseThrow().clientSettings();
        try {
            CompletableFuture<ContentResponse> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return running.get("/old/first");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("held at the upstream").isTrue();

            write(config(route("/a/", a.url(), "")));
            ReloadResult result = gateway.reloadFromSource();

            assertThat(result.success()).as(result.toString()).isTrue();
            assertThat(running.get("/old/x").getStatus()).as("unrouted for new requests").isEqualTo(500);
            assertThat(gateway.clients().isOpen(oldSettings)).as("open while its request is in flight").isTrue();
            release.countDown();
            ContentResponse response = held.get(20, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("/first");
            await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.clients().isOpen(oldSettings));
            assertThat(running.get("/a/x").getContentAsString()).isEqualTo("a");
        } finally {
            release.countDown();
        }
    }
}
