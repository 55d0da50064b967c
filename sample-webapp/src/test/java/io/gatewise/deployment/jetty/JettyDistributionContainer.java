package io.gatewise.deployment.jetty;

import io.gatewise.deployment.LogFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * The Jetty 12.1 distribution (jetty-home) as an Arquillian container, run the way an operator
 * runs it: a fresh Jetty base made with {@code start.jar --add-modules}, Jetty started with
 * {@code java -jar start.jar} in its own process, and a WAR deployed by copying it into
 * {@code webapps/}, where the deployment scanner finds it. Arquillian's own Jetty adapters stop
 * at Jetty 11 and run it embedded, which is not the distribution a WAR meets.
 *
 * <p>Jetty tells how a deployment went only in its log, so the adapter reads the console log
 * ({@code logs/console.log} in the base, Jetty's standard output and error): the context's
 * "Started" line, or its "Failed startup of context" line, which fails the deployment.
 */
public final class JettyDistributionContainer implements DeployableContainer<JettyDistributionConfiguration> {
    /** The modules an operator adds to a base for WARs; docs/getting-started.md's WAR section says the same. */
    public static final String MODULES = "server,http,ee10-deploy,ee10-websocket-jakarta,graceful";
    private static final Pattern LISTENING = Pattern.compile("Started oejs\\.ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");

    private JettyDistributionConfiguration config;
    private Process jetty;
    private LogFile console;
    private int port;

    @Override
    public Class<JettyDistributionConfiguration> getConfigurationClass() {
        return JettyDistributionConfiguration.class;
    }

    @Override
    public void setup(JettyDistributionConfiguration configuration) {
        this.config = configuration;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public void start() throws LifecycleException {
        Path base = config.jettyBase();
        try {
            deleteRecursively(base);
            Files.createDirectories(base.resolve("logs"));
            Files.createDirectories(base.resolve("work"));
            addModules(base);
            Path log = base.resolve("logs/console.log");
            console = LogFile.at(log);
            jetty = new ProcessBuilder(java(), "-Djava.io.tmpdir=" + base.resolve("work"),
                    "-jar", config.jettyHome().resolve("start.jar").toString(),
                    "jetty.http.host=127.0.0.1", "jetty.http.port=0", "jetty.server.stopTimeout=30000",
                    "jetty.deploy.scanInterval=1")
                    .directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            String listening = awaitLine(0, LISTENING.asPredicate(), config.startupTimeoutInSeconds(), "start");
            Matcher matcher = LISTENING.matcher(listening);
            matcher.find();
            port = Integer.parseInt(matcher.group(1));
        } catch (IOException | TimeoutException e) {
            stopProcess();
            throw new LifecycleException("Jetty distribution in " + base + " did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifecycleException("interrupted while starting Jetty", e);
        }
    }

    @Override
    public void stop() throws LifecycleException {
        stopProcess();
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String context = contextPath(archive);
        Path staged = config.jettyBase().resolve("work").resolve(archive.getName());
        int mark = console.mark();
        archive.as(ZipExporter.class).exportTo(staged.toFile(), true);
        try {
            // One move, so the scanner never sees half a WAR.
            Files.move(staged, webapp(archive), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Pattern ofContext = contextIn(context);
            String outcome = awaitLine(mark, line -> ofContext.matcher(line).find()
                    && (line.contains("Failed startup of context") || isStartedLine(line)),
                    config.deployTimeoutInSeconds(), "deploy " + archive.getName());
            if (outcome.contains("Failed startup of context")) {
                throw new DeploymentException("Jetty failed to start " + archive.getName() + ":\n"
                        + String.join("\n", console.since(mark)));
            }
        } catch (IOException | TimeoutException e) {
            throw new DeploymentException("could not deploy " + archive.getName() + " to Jetty", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while deploying " + archive.getName(), e);
        }
        return new ProtocolMetaData().addContext(new HTTPContext("127.0.0.1", port)
                .add(new Servlet("gatewise", context)));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        String context = contextPath(archive);
        int mark = console.mark();
        try {
            if (!Files.deleteIfExists(webapp(archive))) {
                return;
            }
            Pattern ofContext = contextIn(context);
            awaitLine(mark, line -> ofContext.matcher(line).find() && line.contains("Stopped "),
                    config.deployTimeoutInSeconds(), "undeploy " + archive.getName());
        } catch (IOException | TimeoutException e) {
            throw new DeploymentException("could not undeploy " + archive.getName() + " from Jetty", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while undeploying " + archive.getName(), e);
        }
    }

    /** The second "Started" line of a web application: the one after its listeners ran. */
    private static boolean isStartedLine(String line) {
        return line.contains("oeje10s.ServletContextHandler") && line.contains("Started ");
    }

    /** Jetty names a context in its log as {@code {display name,/path,b=...}}. */
    private static Pattern contextIn(String contextPath) {
        return Pattern.compile("[{,]" + Pattern.quote(contextPath) + ",");
    }

    private static String contextPath(Archive<?> archive) throws DeploymentException {
        String name = archive.getName();
        if (!name.endsWith(".war")) {
            throw new DeploymentException("only WARs deploy to this container, not " + name);
        }
        return "/" + name.substring(0, name.length() - ".war".length());
    }

    private Path webapp(Archive<?> archive) {
        return config.jettyBase().resolve("webapps").resolve(archive.getName());
    }

    private String awaitLine(int mark, Predicate<String> wanted, int seconds, String what)
            throws TimeoutException, InterruptedException {
        try {
            return console.await(mark, wanted, Duration.ofSeconds(seconds));
        } catch (TimeoutException e) {
            String state = jetty.isAlive() ? "still running" : "exited with " + jetty.exitValue();
            throw new TimeoutException("Jetty (" + state + ") did not " + what + ": " + e.getMessage());
        }
    }

    private void addModules(Path base) throws IOException, InterruptedException, LifecycleException {
        Path log = base.resolve("logs/add-modules.log");
        Process setup = new ProcessBuilder(java(), "-jar", config.jettyHome().resolve("start.jar").toString(),
                "--add-modules=" + MODULES).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!setup.waitFor(config.startupTimeoutInSeconds(), TimeUnit.SECONDS) || setup.exitValue() != 0) {
            setup.destroyForcibly();
            throw new LifecycleException("start.jar --add-modules=" + MODULES + " failed:\n" + Files.readString(log));
        }
    }

    private void stopProcess() {
        if (jetty == null) {
            return;
        }
        jetty.destroy();
        try {
            if (!jetty.waitFor(30, TimeUnit.SECONDS)) {
                jetty.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            jetty.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        jetty = null;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            List<File> files = paths.sorted(Comparator.reverseOrder()).map(Path::toFile).toList();
            for (File file : files) {
                Files.delete(file.toPath());
            }
        }
    }
}
