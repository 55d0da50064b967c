package io.gatewise.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigLoader;
import io.gatewise.testing.tls.ListenerCertificateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every YAML block of README and {@code docs/} is loaded by the gateway's own config loader, so an
 * example cannot rot: a key renamed or a value out of range fails the build. A block that shows
 * part of a config (one section) is loaded with a route added when it has none. The files it names
 * under {@code /etc/gatewise/} are made for it in a folder of the test's own: a certificate and its
 * key for each {@code .crt}/{@code .key} pair, a token for another file, a folder for a name
 * without an extension. A comment right
 * above the block changes what is expected of it:
 * <ul>
 *   <li>{@code <!-- example: fails with "..." -->}: loading it must fail with that text in the message;
 *   <li>{@code <!-- example: not a config -->}: it is not a gateway config (a manifest, a layout) and is skipped.
 * </ul>
 */
class DocumentationExamplesTest {
    private static final Path ROOT = DocumentationPages.ROOT;
    private static final Pattern BLOCK = Pattern.compile("(?:<!-- example: ([^>]*?) -->\\n)?```ya?ml\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern FAILS = Pattern.compile("fails with \"(.*)\"");
    private static final String A_ROUTE = "routes:\n  - path: /example/\n    upstreams: [{ url: \"http://127.0.0.1:9\" }]\n";

    /** One YAML block: where it is, what the comment above it says (null for none), its text. */
    record Example(Path page, int line, String marker, String yaml) {
        String name() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyYamlExampleLoadsOrFailsAsItSays() throws IOException {
        List<Example> examples = examples();
        assertThat(examples).as("YAML blocks in README and docs/").hasSizeGreaterThan(5);
        return examples.stream().filter(example -> !"not a config".equals(example.marker()))
                .map(example -> DynamicTest.dynamicTest(example.name(), () -> check(example)));
    }

    @Test
    void aBrokenExampleFails() {
        Example renamed = new Example(ROOT.resolve("docs/x.md"), 1, null, "gateway:\n  metric: true\n");
        assertThatThrownBy(() -> check(renamed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.metric");
        Example promisedToFail = new Example(ROOT.resolve("docs/x.md"), 1, "fails with \"nothing\"",
                "gateway:\n  metrics: true\n");
        assertThatThrownBy(() -> check(promisedToFail)).isInstanceOf(AssertionError.class);
    }

    private static void check(Example example) throws IOException {
        String yaml = withFiles(example.yaml().lines().anyMatch(line -> line.startsWith("routes:")) ? example.yaml()
                : example.yaml() + A_ROUTE);
        Matcher fails = example.marker() == null ? null : FAILS.matcher(example.marker());
        if (fails != null && fails.matches()) {
            assertThatThrownBy(() -> ConfigLoader.parse(yaml, example.name())).as(example.name())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(fails.group(1));
        } else if (example.marker() != null) {
            throw new AssertionError(example.name() + ": unknown marker " + example.marker());
        } else {
            ConfigLoader.parse(yaml, example.name());
        }
    }

    private static final Pattern ETC = Pattern.compile("/etc/gatewise/([\\w./-]+)");

    /** @return the YAML with each file it names under /etc/gatewise/ made in a folder of its own */
    private static String withFiles(String yaml) throws IOException {
        Matcher named = ETC.matcher(yaml);
        if (!named.find()) {
            return yaml;
        }
        Path folder = Files.createTempDirectory("gatewise-docs-example");
        folder.toFile().deleteOnExit();
        named.reset();
        while (named.find()) {
            Path file = folder.resolve(named.group(1));
            String name = file.getFileName().toString();
            Files.createDirectories(file.getParent());
            if (name.endsWith(".crt") || name.endsWith(".key")) {
                String stem = name.substring(0, name.length() - 4);
                if (!Files.exists(file.resolveSibling(stem + ".crt"))) {
                    ListenerCertificateFiles.Issued issued = ListenerCertificateFiles.issue(stem + ".example",
                            List.of(stem + ".example"), "EC", Duration.ofDays(30));
                    Files.writeString(file.resolveSibling(stem + ".crt"), ListenerCertificateFiles.certificatePem(issued));
                    Files.writeString(file.resolveSibling(stem + ".key"),
                            ListenerCertificateFiles.keyPem(issued, ListenerCertificateFiles.KeyFormat.PKCS8));
                }
            } else if (name.contains(".")) {
                Files.writeString(file, "a-token-of-the-example-0123456789abcdef\n");
            } else {
                Files.createDirectories(file);
            }
        }
        return yaml.replace("/etc/gatewise/", folder.toString().replace('\\', '/') + "/");
    }

    private static List<Example> examples() throws IOException {
        return DocumentationPages.blocks(BLOCK).stream()
                .map(block -> new Example(block.page(), (int) block.line(), block.marker(), block.text())).toList();
    }
}
