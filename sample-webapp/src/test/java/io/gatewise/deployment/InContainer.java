package io.gatewise.deployment;

import io.gatewise.faults.ClosedPort;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the in-container tests share: the container distribution the build runs them in
 * ({@code -Dgatewise.container=jetty|tomcat}), its main log, and WARs made from the built one.
 */
final class InContainer {
    /** How long a container may take to write a line to its log. */
    static final Duration LOG_WAIT = Duration.ofSeconds(30);

    private InContainer() {
    }

    /** @return {@code jetty} or {@code tomcat} */
    static String name() {
        return System.getProperty("gatewise.container", "(none: run through mvn verify)");
    }

    /**
     * @return the log an operator of this container reads: Jetty's standard output and error
     *     ({@code logs/console.log} in its base), Tomcat's {@code logs/catalina.<date>.log}
     */
    static LogFile log() {
        if (name().equals("jetty")) {
            return LogFile.at(Path.of(System.getProperty("jetty.base"), "logs", "console.log"));
        }
        Path logs = Path.of(System.getProperty("catalina.home"), "logs");
        return new LogFile(() -> newest(logs, "catalina."));
    }

    /**
     * @param name the WAR's name without {@code .war}: the context path it is served under
     * @param config the {@code WEB-INF/gatewise.yaml} it carries instead of the sample one
     * @return the built WAR, renamed, with that config
     */
    static WebArchive gatewayWar(String name, String config) {
        WebArchive built = ShrinkWrap.createFromZipFile(WebArchive.class, new File(war()));
        built.delete("WEB-INF/gatewise.yaml");
        return ShrinkWrap.create(WebArchive.class, name + ".war").merge(built)
                .addAsWebInfResource(new StringAsset(config), "gatewise.yaml");
    }

    /**
     * @param base the deployment's URL from Arquillian: its host and port are the container's
     *     (Tomcat's adapter leaves the context path out)
     * @param context the web application's context path, its WAR's name
     * @param path a path relative to the web application
     * @return the path's URI within the web application
     */
    static URI resolve(URL base, String context, String path) {
        return URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/" + context + "/")
                .resolve(path);
    }

    /** @return a loopback port nothing listens on: connections to it are refused */
    static int refusingPort() {
        try {
            return ClosedPort.find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the built WAR */
    static String war() {
        return System.getProperty("gatewise.war", "target/gatewise.war");
    }

    /**
     * Awaits a line in the container's log and the level it was logged at: Jetty's console
     * writes java.util.logging's two-line records, the level beginning the second line;
     * Tomcat writes one line with the level after the time.
     *
     * @return the line and the one before it
     */
    static String awaitLogged(LogFile log, int mark, String text) throws TimeoutException, InterruptedException {
        String line = log.await(mark, candidate -> candidate.contains(text), LOG_WAIT);
        List<String> lines = log.since(mark);
        int at = lines.indexOf(line);
        return (at > 0 ? lines.get(at - 1) + "\n" : "") + line;
    }

    /** @return a new folder under the build's target folder, which the container's process can read */
    static Path folder(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "in-container")), prefix)
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> newest(Path folder, String prefix) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .max(Comparator.comparing(file -> file.toFile().lastModified()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
