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
    /** The demo's cleartext port, unless {@code --port} says otherwise. */
    static final int DEMO_PORT = 8080;
    /** The demo's HTTPS port, unless {@code --tls-port} says otherwise. */
    static final int DEMO_TLS_PORT = 8443;

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
        if (command.tlsPort().isPresent()) {
            if (config.gateway().tls().isEmpty()) {
                err.println("gatewise: --tls-port " + command.tlsPort().get() + " needs a gateway.tls section in "
                        + command.configFile() + " (its certificates)");
                return USAGE;
            }
            builder.tlsPort(command.tlsPort().get());
        }
        GatewayServer gateway;
        try {
            gateway = builder.build();
        } catch (IllegalStateException | ConfigException e) {
            // A broken error page template, or certificate files that changed since the config was read:
            // the gateway must not serve without its pages or its certificates.
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
        out.println("Gatewise " + config.gateway().name() + " listening on " + gateway.uri()
                + gateway.tlsUri().map(tls -> " and " + tls).orElse(""));
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
            demo = Demo.start(command.port().orElse(DEMO_PORT), command.tlsPort().orElse(DEMO_TLS_PORT));
        } catch (Exception e) {
            err.println("gatewise: cannot start the demo: " + describeBind(e));
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                err.println("Another program uses that port: try java -jar gatewise.jar --port 8081 (HTTP) or"
                        + " --tls-port 8444 (HTTPS)");
            }
            return CANNOT_START;
        }
        demo.printWelcome(out);
        demo.gateway().join();
        return OK;
    }

    /** @return the message that names the address a bind failed on, such as {@code Failed to bind to /127.0.0.1:8443} */
    private static String describeBind(Exception e) {
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause.getCause() instanceof BindException bind && cause.getMessage() != null) {
                return cause.getMessage() + ": " + bind.getMessage();
            }
        }
        return describe(e);
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
