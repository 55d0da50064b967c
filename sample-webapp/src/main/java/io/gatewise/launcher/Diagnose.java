package io.gatewise.launcher;

import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigLoader;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.diagnose.Diagnosis;
import io.gatewise.diagnose.DiagnosisReport;
import io.gatewise.diagnose.DiagnosisTarget;
import io.gatewise.diagnose.Diagnostician;
import io.gatewise.errorpage.PageLanguage;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --diagnose}: the troubleshooting steps against each upstream of a configured route, or
 * against one URL with a route's default settings (the command line runs on the operator's own
 * host, so a URL is allowed here, unlike in the admin API). Names are resolved by the JDK, as a
 * gateway without a resolver of its own does, with the config's prohibited addresses.
 */
final class Diagnose {
    private Diagnose() {
    }

    static int run(Command command, PrintStream out, PrintStream err) {
        GatewayConfig config = null;
        if (command.configFile() != null) {
            try {
                config = ConfigLoader.load(command.configFile());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return Main.BAD_CONFIG;
            }
        }
        String what = command.diagnose().orElseThrow();
        List<DiagnosisTarget> targets = new ArrayList<>();
        if (what.startsWith("/")) {
            RouteConfig route = config.routes().stream().filter(candidate -> candidate.path().equals(what)).findFirst()
                    .orElse(null);
            if (route == null) {
                err.println("gatewise: no route " + what + " in " + command.configFile() + " (expected one of: "
                        + config.routes().stream().map(RouteConfig::path).toList() + ")");
                return Main.USAGE;
            }
            route.upstreams().forEach(upstream -> targets.add(DiagnosisTarget.of(route, upstream)));
        } else {
            try {
                targets.add(DiagnosisTarget.ofUrl(what));
            } catch (ConfigException e) {
                err.println("gatewise: --diagnose " + what + ": " + e.getMessage());
                return Main.USAGE;
            }
        }
        Locale locale = command.chinese() ? PageLanguage.CHINESE : PageLanguage.ENGLISH;
        List<Diagnosis> diagnoses = new ArrayList<>();
        try (Diagnostician diagnostician = Diagnostician.create(null, null,
                config == null ? List.of() : config.gateway().prohibitedAddresses(), Clock.systemUTC())) {
            for (DiagnosisTarget target : targets) {
                Diagnosis diagnosis = diagnostician.diagnose(target, false);
                diagnoses.add(diagnosis);
                if (!command.json()) {
                    out.print(DiagnosisReport.text(diagnosis, locale));
                }
            }
        }
        long failed = diagnoses.stream().filter(diagnosis -> !diagnosis.ok()).count();
        if (command.json()) {
            out.println(DiagnosisReport.write(DiagnosisReport.json(what, diagnoses, locale, diagnosis -> false)));
        } else {
            out.println(failed == 0 ? "every upstream passed" : failed + " of " + diagnoses.size()
                    + " upstream(s) failed");
        }
        return failed == 0 ? Main.OK : Main.UPSTREAM_FAILED;
    }
}
