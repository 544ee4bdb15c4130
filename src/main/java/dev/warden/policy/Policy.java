package dev.warden.policy;

import dev.cel.runtime.CelRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One compiled policy from {@code policies/*.yaml}: which attested workloads it matches, what it
 * grants (targets, scopes, TTL up to {@link #MAX_TTL}; for X.509-SVIDs a SPIFFE ID template and
 * the DNS names allowed), who owns what it grants, and an optional CEL
 * condition. Patterns are globs: {@code *} matches any run of characters.
 *
 * @param id {@code FILE#NAME}, unique in a policy set
 * @param line where the policy starts in its file (1-based)
 */
public record Policy(
        String id,
        String name,
        String file,
        int line,
        String description,
        String owner,
        String technicalOwner,
        Set<String> attestors,
        List<Pattern> workloads,
        List<Pattern> audiences,
        Set<String> scopes,
        List<String> defaultScopes,
        List<Pattern> actors,
        Duration maxTtl,
        Duration defaultTtl,
        String condition,
        CelRuntime.Program program,
        SpiffeIdTemplate spiffeId,
        List<Pattern> dnsNames) {
    /** Longest lifetime any policy may grant. */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    public Policy {
        Objects.requireNonNull(id, "id");
        attestors = Set.copyOf(attestors);
        workloads = List.copyOf(workloads);
        audiences = List.copyOf(audiences);
        scopes = Set.copyOf(scopes);
        defaultScopes = List.copyOf(defaultScopes);
        actors = List.copyOf(actors);
        dnsNames = List.copyOf(dnsNames);
    }

    /** Whether this policy grants X.509-SVIDs. */
    public boolean grantsSvid() {
        return spiffeId != null;
    }

    /** The {@code spiffeId} template as written, or null. */
    public String spiffeIdTemplate() {
        return spiffeId == null ? null : spiffeId.source();
    }

    boolean grantsDnsName(String name) {
        return any(dnsNames, name);
    }

    boolean matches(PolicyInput.Subject s) {
        return (attestors.isEmpty() || attestors.contains(s.attestor())) && any(workloads, s.id());
    }

    boolean grantsTarget(String target) {
        return any(audiences, target);
    }

    boolean grantsActor(String actor) {
        return any(actors, actor);
    }

    static boolean any(List<Pattern> patterns, String value) {
        for (Pattern p : patterns) {
            if (p.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A glob as a regular expression: {@code *} is any run of characters, the rest is literal. */
    static Pattern glob(String glob) {
        StringBuilder b = new StringBuilder();
        int start = 0;
        for (int i = glob.indexOf('*'); i >= 0; i = glob.indexOf('*', start)) {
            b.append(Pattern.quote(glob.substring(start, i))).append(".*");
            start = i + 1;
        }
        b.append(Pattern.quote(glob.substring(start)));
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }
}
