package dev.warden.posture;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A set of checks by id, each validated: its id is {@code nhiN-...} under its risk (or
 * {@code lifecycle-...}), it names only known NIST CSF subcategories, and no two share an id. The
 * built-ins are listed in {@code posture/checks/BuiltInChecks}.
 */
public final class Checks {
    private static final Pattern ID = Pattern.compile("(nhi(10|[1-9])|lifecycle)-[a-z0-9-]{2,50}");

    private final Map<String, Check> byId = new LinkedHashMap<>();

    public Checks(List<Check> checks) {
        for (Check c : checks) {
            if (!ID.matcher(c.id()).matches()) {
                throw new IllegalStateException("check id '" + c.id() + "' is not nhiN-... or lifecycle-...");
            }
            String prefix =
                    c.risk() == Risk.LIFECYCLE ? "lifecycle-" : c.risk().name().toLowerCase(Locale.ROOT) + "-";
            if (!c.id().startsWith(prefix)) {
                throw new IllegalStateException("check " + c.id() + " is filed under risk " + c.risk());
            }
            if (c.nist().isEmpty() || !c.nist().stream().allMatch(Nist::isKnown)) {
                throw new IllegalStateException("check " + c.id() + " names an unknown NIST CSF subcategory");
            }
            if (byId.put(c.id(), c) != null) {
                throw new IllegalStateException("two checks with id " + c.id());
            }
        }
    }

    public Collection<Check> all() {
        return byId.values();
    }

    public Set<String> ids() {
        return Set.copyOf(byId.keySet());
    }

    public Optional<Check> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The checks {@code policy} does not disable. */
    public List<Check> enabled(PosturePolicy policy) {
        return byId.values().stream()
                .filter(c -> !policy.disabledChecks().contains(c.id()))
                .toList();
    }

    /** The checks of {@code risk}. */
    public List<Check> of(Risk risk) {
        return byId.values().stream().filter(c -> c.risk() == risk).toList();
    }

    /** The checks that bear on a NIST CSF subcategory. */
    public List<Check> bearingOn(String subcategory) {
        return byId.values().stream()
                .filter(c -> c.nist().contains(subcategory))
                .toList();
    }
}
