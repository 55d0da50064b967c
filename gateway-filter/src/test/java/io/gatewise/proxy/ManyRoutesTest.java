package io.gatewise.proxy;

import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.ReloadResult;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration of ten thousand routes, read from a file as the launcher reads it: it loads,
 * starts, routes and reloads. The timeouts only guard against a cost that grows with the square
 * of the routes; they are no measurement.
 */
class ManyRoutesTest {
    private static final int ROUTES = 10_000;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path folder;

    /**
     * Every even route is a service ({@code /svc-N/}), every odd one an API under the service
     * before it ({@code /svc-N/api/}); each goes to one of three upstreams.
     */
    private Path write(JettyUpstream[] upstreams, String lastRoutePath) throws Exception {
        StringBuilder yaml = new StringBuilder(ROUTES * 64);
        yaml.append("gateway:\n  name: edge-test\n  host: 127.0.0.1\n  port: 0\nroutes:\n");
        for (int i = 0; i < ROUTES; i++) {
            String path = i == ROUTES - 1 ? lastRoutePath
                    : i % 2 == 0 ? "/svc-" + i + "/" : "/svc-" + (i - 1) + "/api/";
            yaml.append("  - path: ").append(path).append("\n    upstreams: [{url: ").append(upstreams[i % 3].url())
                    .append("}]\n");
        }
        Path file = folder.resolve("gatewise.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenThousandRoutesLoadStartRouteAndReload() throws Exception {
        JettyUpstream[] upstreams = {gateways.jettyUpstream(new NamedServlet("u0")),
                gateways.jettyUpstream(new NamedServlet("u1")), gateways.jettyUpstream(new NamedServlet("u2"))};
        Path file = write(upstreams, "/svc-9998/api/");
        RunningGateway running = gateways.builder().configFile(file).start();
        Gateway gateway = running.server().gateway();

        assertThat(gateway.routes().routes()).hasSize(ROUTES);
        assertThat(running.get("/svc-1234/api/users/7").getContentAsString()).as("deep").isEqualTo("u2");
        assertThat(running.get("/svc-1234/other").getContentAsString()).as("shallow").isEqualTo("u1");
        assertThat(running.get("/svc-9998/api").getContentAsString()).as("last").isEqualTo("u0");
        assertThat(running.get("/svc-1235/api/").getStatus()).as("miss").isEqualTo(500);

        gateway.route("/svc-4000/api/").orElseThrow().maintenance(true);
        write(upstreams, "/svc-9998/v2/");
        ReloadResult reload = gateway.reloadFromSource();

        assertThat(reload.success()).as(reload.toString()).isTrue();
        assertThat(gateway.route("/svc-4000/api/").orElseThrow().inMaintenance()).as("carried over").isTrue();
        assertThat(running.get("/svc-4000/api/x").getStatus()).as("maintenance").isEqualTo(503);
        assertThat(running.get("/svc-9998/v2/x").getContentAsString()).as("new route").isEqualTo("u0");
        assertThat(running.get("/svc-9998/api/x").getContentAsString()).as("removed: its parent").isEqualTo("u2");
    }
}
