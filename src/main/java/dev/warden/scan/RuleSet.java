package dev.warden.scan;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a scan runs and the allowlists that apply to all of them; ids are unique. */
public record RuleSet(List<Rule> rules, List<Allowlist> allowlists) {
    /** What a rule id looks like. */
    public static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public RuleSet {
        rules = List.copyOf(rules);
        allowlists = List.copyOf(allowlists);
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("rule id '" + r.id() + "' is defined twice");
            }
        }
    }

    /** Warden's built-in rules with no extra allowlists. */
    public static RuleSet defaults(Clock clock) {
        return new RuleSet(BuiltinRules.all(clock), List.of());
    }

    public Rule rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
