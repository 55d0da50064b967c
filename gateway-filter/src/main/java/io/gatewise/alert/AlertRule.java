package io.gatewise.alert;

import io.gatewise.config.AlertRulesConfig;
import java.time.Duration;
import java.util.List;

/** One built-in rule: which alerts hold now, and how long they must hold to fire. */
interface AlertRule {
    /** @return the alert name it raises, such as {@code GatewiseRouteDown} */
    String name();

    /**
     * @param rules the rules' settings in use
     * @return whether it runs
     */
    boolean enabled(AlertRulesConfig rules);

    /**
     * @param rules the rules' settings in use
     * @return how long a condition must hold before its alert fires, and be gone before it resolves
     */
    Duration pendingFor(AlertRulesConfig rules);

    /**
     * @param context what the rule reads
     * @return each alert whose condition holds now, with its labels and annotations
     */
    List<Candidate> evaluate(RuleContext context);
}
