package io.gatewise.launcher;

import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigLoader;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.demo.Demo;
import io.gatewise.runtime.Gateway;
import io.gatewise.server.GatewayServer;
import java.io.PrintStream;
import java.net.BindException;

/**
 * Runs Gatewise from the command line: the demo, a configured gateway, or a config check.
 *
 * <p>Exit codes: 0 for success, 1 for a config the gateway cannot run with (or, with
 * {@code --diagnose}, an upstream that failed a step), 2 for a wrong command line, 3 when the
 * server cannot start (a port in use, say).
 */
public final class Main {
    static final int OK = 0;
    static final int BAD_CONFIG = 1;
    /** With {@code --diagnose}: an upstream failed a step. */
    static final int UPSTREAM_FAILED = 1;
    static final int USAGE = 2;
    static final int CANNOT_START = 3;

    private Main() {
    }

    /**
     * @param args see {@link Command#USAGE}
     * @throws Exception never on purpose; failures exit with a code
     */
    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /**
     * Runs a command; for the demo and a configured gateway, returns only when the server stops.
     *
     * @param args the command line
     * @param out where normal output goes
     * @param err where problems go
     * @return the exit code
     * @throws InterruptedException if interrupted while the server runs
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Command command;
        try {
            command = Command.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("gatewise: " + e.getMessage());
            err.println(Command.USAGE);
            return USAGE;
        }
        switch (command.mode()) {
            case HELP:
                out.println(Command.USAGE);
                return OK;
            case CHECK:
                return check(command, out, err);
            case RUN:
                return runConfigured(command, out, err);
            case DIAGNOSE:
                return Diagnose.run(command, out, err);
            default:
                return runDemo(command, out, err);
        }
    }

    private static int check(Command command, PrintStream out, PrintStream err) {
        try {
            GatewayConfig config = ConfigLoader.load(command.configFile());
            // Builds the gateway without starting it: every error page template is compiled.
            Gateway.builder(config).build();
            out.println(command.configFile() + ": OK, gateway " + config.gateway().name() + " with "
                    + config.routes().size() + " route(s)");
            return OK;
        } catch (ConfigException | IllegalStateException e) {
            err.println(e.getMessage());
            return BAD_CONFIG;
        }
    }

    private static int runConfigured(Command command, PrintStream out, PrintStream err) throws InterruptedException {
        GatewayConfig config;
        ConfigSource source = ConfigSource.file(command.configFile());
        try {
            config = source.load().config();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("gatewise: not started; fix the config (check it with --check-config FILE)");
            return BAD_CONFIG;
        }
        // The gateway keeps its source: a reload (the admin API, gateway.watchConfig) reads the file again.
        GatewayServer.Builder builder = GatewayServer.builder(config).configSource(source);
        command.port().ifPresent(builder::port);
        GatewayServer gateway;
        try {
            gateway = builder.build();
        } catch (IllegalStateException e) {
            // A broken error page template: the gateway must not serve without its pages.
            err.println(e.getMessage());
            err.println("gatewise: not started; fix the config (check it with --check-config FILE)");
            return BAD_CONFIG;
        }
        try {
            gateway.start();
        } catch (Exception e) {
            err.println("gatewise: cannot start: " + describe(e));
            stopQuietly(gateway);
            return CANNOT_START;
        }
        stopGracefullyOnSigterm(gateway, err);
        out.println("Gatewise " + config.gateway().name() + " listening on " + gateway.uri());
        for (RouteConfig route : config.routes()) {
            out.println("  " + route.path() + " -> " + route.upstreams());
        }
        gateway.join();
        return OK;
    }

    /**
     * On SIGTERM (systemd, Kubernetes, any rolling deploy) the gateway stops accepting, lets
     * requests in flight finish within {@code gateway.shutdownTimeout}, and the process exits 0:
     * a drained stop is a clean exit, not the JVM's 143.
     */
    private static void stopGracefullyOnSigterm(GatewayServer gateway, PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("gatewise: stopping; requests in flight may finish");
            stopQuietly(gateway);
            err.println("gatewise: stopped");
            err.flush();
            Runtime.getRuntime().halt(OK);
        }, "gatewise-shutdown"));
    }

    private static int runDemo(Command command, PrintStream out, PrintStream err) throws InterruptedException {
        Demo demo;
        try {
            demo = Demo.start(command.port().orElse(8080));
        } catch (Exception e) {
            err.println("gatewise: cannot start the demo: " + describe(e));
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                err.println("Another program uses that port: try java -jar gatewise.jar --port 8081");
            }
            return CANNOT_START;
        }
        demo.printWelcome(out);
        demo.gateway().join();
        return OK;
    }

    private static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static void stopQuietly(GatewayServer gateway) {
        try {
            gateway.stop();
        } catch (Exception e) {
            // Not started: nothing to stop.
        }
    }
}
