package io.gatewise.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, with a fresh profile and no background networking: loads a page
 * from a loopback server, to read the DOM it rendered or to take a screenshot.
 */
public final class Chromium {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private Chromium() {
    }

    /**
     * Skips the calling test class where no browser is installed (CI installs one).
     *
     * @return where screenshots go: {@code target/screenshots}, or {@code -Dgatewise.screenshots}
     */
    public static Path requireInstalled() {
        Assumptions.assumeTrue(binary() != null, "Chromium is not installed (.ci/run installs it)");
        return Path.of(System.getProperty("gatewise.screenshots", "target/screenshots"));
    }

    /** @return the browser binary, if installed */
    public static Path binary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /**
     * @param url a loopback URL
     * @param language the {@code Accept-Language} the browser sends
     * @return the DOM after the page rendered
     * @throws IOException if the browser fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static String dumpDom(String url, String language) throws IOException, InterruptedException {
        return run(url, language, "--dump-dom");
    }

    /**
     * @param url a loopback URL
     * @param language the {@code Accept-Language} the browser sends
     * @param file where the PNG goes
     * @throws IOException if the browser fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static void screenshot(String url, String language, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        run(url, language, "--screenshot=" + file.toAbsolutePath(), "--window-size=1000,1300",
                "--hide-scrollbars");
    }

    private static String run(String url, String language, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--lang=" + language,
                "--accept-lang=" + language));
        command.addAll(List.of(action));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 60 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("chromium exited with " + process.exitValue() + ": " + command);
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
