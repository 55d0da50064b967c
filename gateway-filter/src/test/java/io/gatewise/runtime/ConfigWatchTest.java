package io.gatewise.runtime;

import static io.gatewise.runtime.ConfigReloadTest.config;
import static io.gatewise.runtime.ConfigReloadTest.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.ConfigLoader;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.watchConfig}: the file's folder is watched, and a change of content reloads it. */
class ConfigWatchTest {
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String WATCH = "  watchConfig: true\n";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path folder;

    private static String watched(String routes) {
        return config(routes).replace("routes:\n", WATCH + "routes:\n");
    }

    @Test
    void writingTheWatchedFileReloadsIt() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path file = folder.resolve("gatewise.yaml");
        Files.writeString(file, watched(route("/a/", a.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).watchQuietPeriod(QUIET).start();
        Gateway gateway = running.server().gateway();
        assertThat(gateway.configWatcher()).as("watching").isNotNull();
        assertThat(running.get("/b/x").getStatus()).isEqualTo(500);

        Files.writeString(file, watched(route("/a/", a.url(), "") + route("/b/", a.url(), "")));

        await().atMost(WAIT).until(() -> gateway.reloads().successes() == 1);
        assertThat(running.get("/b/x").getContentAsString()).isEqualTo("a");
    }

    @Test
    void kubernetesStyleSymlinkSwapReloadsOnce() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path first = Files.createDirectory(folder.resolve("..2024_01_01_00_00_00.1"));
        Files.writeString(first.resolve("gatewise.yaml"), watched(route("/a/", a.url(), "")));
        Path data = Files.createSymbolicLink(folder.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(folder.resolve("gatewise.yaml"), Path.of("..data", "gatewise.yaml"));
        RunningGateway running = gateways.builder().configFile(file).watchQuietPeriod(QUIET).start();
        Gateway gateway = running.server().gateway();
        ConfigWatcher watcher = gateway.configWatcher();

        // As the kubelet updates a ConfigMap volume: a new folder, a new link, renamed over ..data.
        Path second = Files.createDirectory(folder.resolve("..2024_01_01_00_01_00.2"));
        Files.writeString(second.resolve("gatewise.yaml"), watched(route("/a/", a.url(), "") + route("/b/", a.url(), "")),
                StandardCharsets.UTF_8);
        Path link = Files.createSymbolicLink(folder.resolve("..data_tmp"), second.getFileName());
        Files.move(link, data, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(first.resolve("gatewise.yaml"));
        Files.delete(first);

        await().atMost(WAIT).until(() -> gateway.reloads().successes() == 1);
        assertThat(running.get("/b/x").getContentAsString()).isEqualTo("a");
        // Whatever events the swap left behind are checked before one that comes after them.
        long checks = watcher.checks();
        Files.writeString(folder.resolve("unrelated.txt"), "x");
        await().atMost(WAIT).until(() -> watcher.checks() > checks);
        assertThat(gateway.reloads().successes()).as("reloaded once").isEqualTo(1);
        assertThat(gateway.reloads().failures()).isZero();
    }

    @Test
    void rewritingTheSameContentDoesNotReload() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path file = folder.resolve("gatewise.yaml");
        String text = watched(route("/a/", a.url(), ""));
        Files.writeString(file, text);
        RunningGateway running = gateways.builder().configFile(file).watchQuietPeriod(QUIET).start();
        Gateway gateway = running.server().gateway();
        ConfigWatcher watcher = gateway.configWatcher();
        long checks = watcher.checks();

        Files.writeString(file, text);

        await().atMost(WAIT).until(() -> watcher.checks() > checks);
        assertThat(gateway.reloads().successes()).isZero();
        assertThat(gateway.reloads().failures()).isZero();
        assertThat(gateway.configVersion().generation()).isEqualTo(1);
    }

    @Test
    void watchConfigThatIsNotABooleanIsALocatedError() {
        assertThatThrownBy(() -> ConfigLoader.parse("gateway:\n  watchConfig: maybe\n" + "routes:\n"
                + route("/a/", "http://127.0.0.1:9", ""), "g.yaml"))
                .hasMessageStartingWith("g.yaml:2:16: gateway.watchConfig: ")
                .hasMessageContaining("true or false");
    }

    @Test
    void watcherRunsOnOneNamedDaemonThreadAndStopsWithTheGateway() throws Exception {
        JettyUpstream a = gateways.jettyUpstream(new NamedServlet("a"));
        Path file = folder.resolve("gatewise.yaml");
        Files.writeString(file, watched(route("/a/", a.url(), "")));
        RunningGateway running = gateways.builder().configFile(file).watchQuietPeriod(QUIET).start();
        assertThat(watcherThreads()).isEqualTo(1);

        running.server().stop();

        await().atMost(WAIT).until(() -> watcherThreads() == 0);
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(ConfigWatcher.THREAD_NAME) && thread.isDaemon()).count();
    }
}
