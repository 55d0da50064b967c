package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GatewiseConfigReloadFailed}: the last reload was refused, so the gateway still serves an
 * older configuration than its file holds. The next successful reload resolves it.
 */
final class ConfigReloadFailedRule implements AlertRule {
    @Override
    public String name() {
        return Alert.CONFIG_RELOAD_FAILED;
    }

    @Override
    public boolean enabled(AlertRulesConfig rules) {
        return rules.configReloadFailed().enabled();
    }

    @Override
    public Duration pendingFor(AlertRulesConfig rules) {
        return Duration.ZERO;
    }

    @Override
    public List<Candidate> evaluate(RuleContext context) {
        Optional<AlertInputs.RefusedReload> last = context.inputs().refusedReload();
        if (last.isEmpty()) {
            return List.of();
        }
        AlertInputs.RefusedReload failed = last.get();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "The gateway " + context.instance() + " refused its new configuration");
        annotations.put("description", "The reload at " + failed.at() + " was refused: "
                + failed.error() + ". Version " + failed.version()
                + " still serves; fix the file and reload again.");
        annotations.put("config_version", failed.version());
        annotations.put("hints", "- Fix the key the error names, at the file, line and column it gives, then"
                + " reload (POST /admin/config/reload, or save the file with gateway.watchConfig: true).");
        return List.of(new Candidate(Candidate.labels(name(), "warning", context), annotations));
    }
}
