package io.gatewise.launcher;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the command line asks for.
 *
 * @param mode what to do
 * @param configFile the config file, for {@link Mode#RUN} and {@link Mode#CHECK}
 * @param port a port that overrides the config's, if given
 * @param tlsPort a TLS listener port that overrides the config's {@code gateway.tls.port} (or the
 *     demo's 8443), if given
 * @param diagnose for {@link Mode#DIAGNOSE}: a route path of the config, or an upstream URL
 * @param json for {@link Mode#DIAGNOSE}: print JSON instead of text
 * @param chinese for {@link Mode#DIAGNOSE}: print the hints in Chinese
 */
record Command(Mode mode, Path configFile, Optional<Integer> port, Optional<Integer> tlsPort,
        Optional<String> diagnose, boolean json, boolean chinese) {
    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar gatewise.jar [options]",
            "",
            "  (no options)          run the demo: a gateway on 127.0.0.1:8080 (and HTTPS on 8443) in front of demo",
            "                        upstreams",
            "  --config FILE         run the gateway configured by FILE (YAML)",
            "  --check-config FILE   check FILE and exit: 0 if the gateway could start with it, 1 if not",
            "  --port N              listen on port N instead of the configured one (0 picks a free port)",
            "  --tls-port N          the TLS listener on port N instead of gateway.tls.port, or the demo's 8443",
            "  --diagnose ROUTE|URL  run the troubleshooting steps (resolve, connect, TLS, HTTP) against each upstream",
            "                        of ROUTE in the --config FILE, or against URL with default settings, and exit:",
            "                        0 if every upstream passed, 1 if one failed",
            "  --json                with --diagnose: print JSON, as GET /admin/diagnose answers",
            "  --lang en|zh          with --diagnose: the language of the hints (default en)",
            "  --help                show this text");

    /** What to do. */
    enum Mode { DEMO, RUN, CHECK, HELP, DIAGNOSE }

    /** A command without a diagnosis or a TLS port. */
    Command(Mode mode, Path configFile, Optional<Integer> port) {
        this(mode, configFile, port, Optional.empty());
    }

    /** A command without a diagnosis. */
    Command(Mode mode, Path configFile, Optional<Integer> port, Optional<Integer> tlsPort) {
        this(mode, configFile, port, tlsPort, Optional.empty(), false, false);
    }

    /**
     * @param args the command line
     * @return the command
     * @throws IllegalArgumentException with a message for the user if the line is wrong
     */
    static Command parse(String... args) {
        Mode mode = Mode.DEMO;
        Path file = null;
        Integer port = null;
        Integer tlsPort = null;
        String diagnose = null;
        boolean json = false;
        String lang = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config":
                case "--check-config":
                    if (file != null) {
                        throw new IllegalArgumentException("give one config file, with --config or --check-config");
                    }
                    mode = "--config".equals(arg) ? Mode.RUN : Mode.CHECK;
                    file = Path.of(value(args, ++i, arg));
                    break;
                case "--port":
                    port = port(arg, value(args, ++i, arg));
                    break;
                case "--tls-port":
                    tlsPort = port(arg, value(args, ++i, arg));
                    break;
                case "--diagnose":
                    diagnose = diagnoseTarget(value(args, ++i, arg));
                    break;
                case "--json":
                    json = true;
                    break;
                case "--lang":
                    lang = value(args, ++i, arg);
                    if (!lang.equals("en") && !lang.equals("zh")) {
                        throw new IllegalArgumentException("--lang " + lang + " (expected: en or zh)");
                    }
                    break;
                case "--help":
                case "-h":
                    return new Command(Mode.HELP, null, Optional.empty());
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (diagnose == null) {
            if (json || lang != null) {
                throw new IllegalArgumentException((json ? "--json" : "--lang") + " goes with --diagnose");
            }
            return new Command(mode, file, Optional.ofNullable(port), Optional.ofNullable(tlsPort));
        }
        if (mode == Mode.CHECK || port != null || tlsPort != null) {
            throw new IllegalArgumentException("--diagnose takes --config FILE, --json and --lang only");
        }
        if (diagnose.startsWith("/") && file == null) {
            throw new IllegalArgumentException("--diagnose " + diagnose + " needs --config FILE, the config with that"
                    + " route");
        }
        return new Command(Mode.DIAGNOSE, file, Optional.empty(), Optional.empty(), Optional.of(diagnose), json,
                "zh".equals(lang));
    }

    private static String diagnoseTarget(String target) {
        if (target.startsWith("/") || target.startsWith("http://") || target.startsWith("https://")) {
            return target;
        }
        throw new IllegalArgumentException("--diagnose " + target + " (expected: a route path such as /api/, or an"
                + " http:// or https:// URL)");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(String option, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + text + " (expected: 0 to 65535)");
    }
}
