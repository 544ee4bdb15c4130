package dev.warden.discovery.postgresql;

import dev.warden.input.Echo;
import dev.warden.inventory.Nature;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a login role is a person's or a machine's, from the obvious signals only: the role's
 * comment when it says so, then its name (a service word, an e-mail address, {@code first.last}).
 * Anything else is a machine login by default; the reason always says which signal decided.
 */
final class RoleNature {
    record Verdict(Nature nature, String reason) {}

    private static final Pattern HUMAN_WORDS =
            Pattern.compile("\\b(human|person|personal|people|employee|individual|interactive|named user)\\b");
    private static final Pattern MACHINE_WORDS = Pattern.compile(
            "\\b(service|services|application|app|bot|robot|automation|automated|machine|pipeline|ci|etl|job|batch"
                    + "|integration|daemon|workload|system)\\b");
    private static final Set<String> SERVICE_TOKENS = Set.of(
            "svc",
            "service",
            "app",
            "api",
            "bot",
            "etl",
            "job",
            "jobs",
            "cron",
            "batch",
            "backup",
            "monitor",
            "monitoring",
            "exporter",
            "metrics",
            "replicator",
            "replication",
            "repl",
            "readonly",
            "ro",
            "rw",
            "reader",
            "writer",
            "admin",
            "migrator",
            "migration",
            "migrations",
            "ci",
            "cd",
            "deploy",
            "deployer",
            "sync",
            "worker",
            "agent",
            "system",
            "sys",
            "postgres",
            "airflow",
            "debezium",
            "pgbouncer",
            "grafana",
            "prometheus",
            "dbt",
            "metabase",
            "superset",
            "looker",
            "tableau",
            "datadog",
            "fivetran",
            "airbyte",
            "kafka",
            "connect",
            "web",
            "backend",
            "frontend",
            "integration",
            "automation",
            "robot",
            "daemon",
            "user",
            "owner",
            "rds",
            "cloudsql");
    private static final Pattern FIRST_LAST = Pattern.compile("[a-z][a-z'-]*\\.[a-z][a-z'-]*[0-9]{0,3}");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[a-z]{2,}");

    private RoleNature() {}

    static Verdict of(String name, String comment) {
        if (comment != null && !comment.isBlank()) {
            String c = comment.toLowerCase(Locale.ROOT);
            boolean human = HUMAN_WORDS.matcher(c).find();
            boolean machine = MACHINE_WORDS.matcher(c).find();
            if (human && !machine) {
                return new Verdict(Nature.HUMAN, "role comment says a person uses it: \"" + Echo.shown(comment) + "\"");
            }
            if (machine && !human) {
                return new Verdict(
                        Nature.MACHINE, "role comment says a service uses it: \"" + Echo.shown(comment) + "\"");
            }
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (String token : SEPARATORS.split(n, -1)) {
            if (SERVICE_TOKENS.contains(token)) {
                return new Verdict(Nature.MACHINE, "role name has the service word '" + token + "'");
            }
        }
        if (EMAIL.matcher(n).matches()) {
            return new Verdict(Nature.HUMAN, "role name is an e-mail address");
        }
        if (FIRST_LAST.matcher(n).matches()) {
            return new Verdict(Nature.HUMAN, "role name looks like first.last");
        }
        return new Verdict(Nature.MACHINE, "no sign of a person (default: machine)");
    }
}
