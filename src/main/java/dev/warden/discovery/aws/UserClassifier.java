package dev.warden.discovery.aws;

import dev.warden.inventory.Nature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides whether an IAM user is a person or a machine from the signals the AWS files give, and
 * says why. An explicit tag ({@code type}, {@code kind}, {@code identity-type}, {@code user-type})
 * decides; otherwise console password and MFA point to a person, access keys without a console
 * password, service paths and service-like names point to a machine. Ties go to machine: an
 * unexplained IAM user is governed as an NHI. Machines stay machines: a user with access keys and
 * a service-like name or path, or whose keys are used more recently than its console password, is a
 * machine even with a console password, MFA or browser use; that human use is the NHI10 finding
 * ({@code posture/checks/ConsoleUse}, {@code HumanUserAgent}), not a reason to hide the identity.
 */
final class UserClassifier {
    private static final Pattern MACHINE_NAME = Pattern.compile(
            "(?i).*(^|[-_.@/])(svc|service|bot|robot|ci|cd|deploy|deployer|automation|terraform|tf|jenkins|github|gitlab|"
                    + "app|api|sa|system|sync|backup|etl|job|cron|agent|integration|pipeline|runner)([-_.@/0-9]|$).*");
    private static final Pattern PERSON_NAME =
            Pattern.compile("(?i)[a-z]+[._][a-z]+(@[a-z0-9.-]+)?|[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}");
    private static final List<String> TYPE_TAGS =
            List.of("type", "kind", "identity-type", "identitytype", "user-type", "usertype");

    private UserClassifier() {}

    record Verdict(Nature nature, String reason) {}

    static Verdict classify(
            String name, String path, Map<String, String> tags, AwsEstate.ReportRow report, boolean hasAccessKeys) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (TYPE_TAGS.contains(t.getKey().toLowerCase(Locale.ROOT))) {
                String v = t.getValue().toLowerCase(Locale.ROOT);
                if (v.matches("human|person|user|employee|people")) {
                    return new Verdict(Nature.HUMAN, "tag " + t.getKey() + "=" + t.getValue());
                }
                if (v.matches("machine|service|service-account|serviceaccount|bot|automation|system|nhi|workload")) {
                    return new Verdict(Nature.MACHINE, "tag " + t.getKey() + "=" + t.getValue());
                }
            }
        }
        int human = 0;
        int machine = 0;
        List<String> why = new ArrayList<>();
        if (report != null) {
            if (Boolean.TRUE.equals(report.passwordEnabled)) {
                human += 2;
                why.add("console password");
            }
            if (Boolean.TRUE.equals(report.mfaActive)) {
                human += 2;
                why.add("MFA device");
            }
            if (report.passwordLastUsed != null) {
                human += 1;
                why.add("console sign-in recorded");
            }
        }
        boolean password = report != null && Boolean.TRUE.equals(report.passwordEnabled);
        if (hasAccessKeys && !password) {
            machine += 2;
            why.add("access keys without a console password");
        }
        String lowerPath = path == null ? "/" : path.toLowerCase(Locale.ROOT);
        if (lowerPath.matches(".*/(service|services|system|automation|machine|bots?|ci|apps?)/.*")) {
            machine += 2;
            why.add("path " + path);
        }
        if (MACHINE_NAME.matcher(name).matches()) {
            machine += 1;
            why.add("service-like name");
        } else if (PERSON_NAME.matcher(name).matches()) {
            human += 1;
            why.add("name looks like a person's");
        }
        boolean machineLike = MACHINE_NAME.matcher(name).matches()
                || lowerPath.matches(".*/(service|services|system|automation|machine|bots?|ci|apps?)/.*");
        boolean keysInUse = report != null && keysUsedAfterPassword(report);
        if (hasAccessKeys && human > machine && (machineLike || keysInUse)) {
            return new Verdict(
                    Nature.MACHINE,
                    String.join(", ", why)
                            + (keysInUse && !machineLike ? ", access keys used after the last console sign-in" : "")
                            + ": access keys with a "
                            + (machineLike ? "service-like name or path" : "programmatic use")
                            + " keep it a machine identity; the human use is an NHI10 finding");
        }
        if (why.isEmpty()) {
            return new Verdict(Nature.MACHINE, "no signal either way; governed as a machine identity");
        }
        Nature n = human > machine ? Nature.HUMAN : Nature.MACHINE;
        return new Verdict(n, String.join(", ", why) + " (human " + human + " vs machine " + machine + ")");
    }

    /** Some access key was used, and more recently than the console password (or it never was). */
    private static boolean keysUsedAfterPassword(AwsEstate.ReportRow report) {
        for (AwsEstate.KeySlot k : report.keys) {
            if (k.lastUsed != null
                    && (report.passwordLastUsed == null || k.lastUsed.isAfter(report.passwordLastUsed))) {
                return true;
            }
        }
        return false;
    }
}
