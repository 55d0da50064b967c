package io.gatewise.launcher;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the command line asks for.
 *
 * @param mode what to do
 * @param configFile the config file, for {@link Mode#RUN} and {@link Mode#CHECK}
 * @param port a port that overrides the config's, if given
 */
record Command(Mode mode, Path configFile, Optional<Integer> port) {
    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar gatewise.jar [options]",
            "",
            "  (no options)          run the demo: a gateway on 127.0.0.1:8080 in front of demo upstreams",
            "  --config FILE         run the gateway configured by FILE (YAML)",
            "  --check-config FILE   check FILE and exit: 0 if the gateway could start with it, 1 if not",
            "  --port N              listen on port N instead of the configured one (0 picks a free port)",
            "  --help                show this text");

    /** What to do. */
    enum Mode { DEMO, RUN, CHECK, HELP }

    /**
     * @param args the command line
     * @return the command
     * @throws IllegalArgumentException with a message for the user if the line is wrong
     */
    static Command parse(String... args) {
        Mode mode = Mode.DEMO;
        Path file = null;
        Integer port = null;
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
                    port = port(value(args, ++i, arg));
                    break;
                case "--help":
                case "-h":
                    return new Command(Mode.HELP, null, Optional.empty());
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new Command(mode, file, Optional.ofNullable(port));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port " + text + " (expected: 0 to 65535)");
    }
}
