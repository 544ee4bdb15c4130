package dev.warden.scan;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A gitleaks-style allowlist: a hit is allowed when the commit, the path, a regex over the secret
 * (or the whole match or line) or a stopword in the secret matches — any of them ({@code OR}, the
 * default) or all that are set ({@code AND}). {@code targetRules} limits a global allowlist to some
 * rules.
 */
public record Allowlist(
        String description,
        boolean requireAll,
        Set<String> commits,
        List<Pattern> paths,
        Target regexTarget,
        List<Pattern> regexes,
        List<String> stopwords,
        Set<String> targetRules) {

    /** What {@link #regexes} are matched against. */
    public enum Target {
        SECRET,
        MATCH,
        LINE
    }

    public Allowlist {
        commits = Set.copyOf(commits);
        paths = List.copyOf(paths);
        regexes = List.copyOf(regexes);
        stopwords = stopwords.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        targetRules = Set.copyOf(targetRules);
        if (regexTarget == null) {
            regexTarget = Target.SECRET;
        }
    }

    /** True when nothing is set: such an allowlist allows nothing. */
    public boolean isEmpty() {
        return commits.isEmpty() && paths.isEmpty() && regexes.isEmpty() && stopwords.isEmpty();
    }

    /** Whether this allowlist covers {@code ruleId} at all. */
    public boolean targets(String ruleId) {
        return targetRules.isEmpty() || targetRules.contains(ruleId);
    }

    /** True when the hit described by the arguments is allowed. {@code commit} is null outside history scans. */
    public boolean allows(String commit, String path, String secret, String match, String line) {
        if (isEmpty()) {
            return false;
        }
        int set = 0;
        int matched = 0;
        if (!commits.isEmpty()) {
            set++;
            if (commit != null
                    && (commits.contains(commit)
                            || commits.stream().anyMatch(c -> c.length() >= 7 && commit.startsWith(c)))) {
                matched++;
            }
        }
        if (!paths.isEmpty()) {
            set++;
            if (paths.stream().anyMatch(p -> p.matcher(path).find())) {
                matched++;
            }
        }
        if (!regexes.isEmpty()) {
            set++;
            String target = switch (regexTarget) {
                case SECRET -> secret;
                case MATCH -> match;
                case LINE -> line;
            };
            if (regexes.stream().anyMatch(p -> p.matcher(target).find())) {
                matched++;
            }
        }
        if (!stopwords.isEmpty()) {
            set++;
            String lower = secret.toLowerCase(Locale.ROOT);
            if (stopwords.stream().anyMatch(lower::contains)) {
                matched++;
            }
        }
        return requireAll ? matched == set : matched > 0;
    }
}
