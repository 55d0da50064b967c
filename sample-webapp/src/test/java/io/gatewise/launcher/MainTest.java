package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigAcceptsAGoodFile() throws Exception {
        Path file = Files.writeString(dir.resolve("good.yaml"),
                "gateway: { name: edge-1 }\nroutes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n");

        assertThat(run("--check-config", file.toString())).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(file + ": OK, gateway edge-1 with 1 route(s)"
                + System.lineSeparator());
    }

    @Test
    void checkConfigRejectsABadFileWithItsPlace() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"),
                "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n"
                        + "    timeouts: { connect: -1s }\n");

        assertThat(run("--check-config", file.toString())).isEqualTo(Main.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(file + ":4:26: routes[0].timeouts.connect: -1s is"
                + " not positive");
    }

    @Test
    void runWithABadConfigDoesNotStart() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "routes: []\n");

        assertThat(run("--config", file.toString())).isEqualTo(Main.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("routes: missing").contains("not started");
    }

    @Test
    void aBrokenTemplateFailsTheCheckAndTheStartWithItsFileName() throws Exception {
        Path templates = Files.createDirectories(dir.resolve("pages"));
        Path broken = Files.writeString(templates.resolve("default.html"), "<p>{{#status}} never closed");
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "errorPages: { templates: '" + templates + "' }\n"
                + "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n");

        assertThat(run("--check-config", file.toString())).isEqualTo(Main.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(broken.toString());
        err.reset();
        assertThat(run("--config", file.toString(), "--port", "0")).isEqualTo(Main.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(broken.toString()).contains("not started");
    }

    @Test
    void tlsPortNeedsATlsSection() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.yaml"),
                "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n");

        assertThat(run("--config", file.toString(), "--port", "0", "--tls-port", "0")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("gatewise: --tls-port 0 needs a gateway.tls section"
                + " in " + file);
    }

    @Test
    void aMissingCertificateFileFailsTheCheckWithItsKey() throws Exception {
        Path missing = dir.resolve("missing.crt");
        Path file = Files.writeString(dir.resolve("tls.yaml"), "gateway:\n  tls:\n    certificates:\n"
                + "      - { certificate: '" + missing + "', privateKey: '" + dir.resolve("missing.key") + "' }\n"
                + "routes:\n  - path: /api/\n    upstreams: [ { url: http://127.0.0.1:9001 } ]\n");

        assertThat(run("--check-config", file.toString())).isEqualTo(Main.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(file + ":4:")
                .contains("gateway.tls.certificates[0].certificate: \"" + missing + "\" does not exist");
    }

    @Test
    void demoWhoseHttpsPortIsTakenSaysWhichAndHowToMoveIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("--port", "0", "--tls-port", String.valueOf(taken.getLocalPort())))
                    .isEqualTo(Main.CANNOT_START);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot start the demo", "127.0.0.1:")
                .contains("--tls-port 8444");
    }

    @Test
    void wrongCommandLinePrintsUsage() throws Exception {
        assertThat(run("--frobnicate")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("gatewise: unknown option --frobnicate")
                .contains("Usage: java -jar gatewise.jar");
    }

    @Test
    void helpPrintsUsage() throws Exception {
        assertThat(run("--help")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--check-config FILE");
    }
}
