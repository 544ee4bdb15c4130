package dev.warden.discovery.kubernetes;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who owns an object and where it runs, as its labels and annotations say, each with where it came
 * from ({@code label:team}, {@code annotation:owner}, prefixed by the object it was inherited
 * from, {@code deployment/shop/api label:team}).
 *
 * <p>Keys are matched on their name after any prefix ({@code team}, {@code example.com/team},
 * {@code app.kubernetes.io/team}), case-insensitively, labels before annotations:
 * <ul>
 *   <li>technical owner: {@code technical-owner}, {@code tech-owner}, {@code team}, {@code team-name},
 *       {@code owner-team}, {@code owning-team}, {@code squad};
 *   <li>business owner: {@code business-owner}, {@code owner}, {@code owned-by}, {@code maintainer},
 *       {@code contact};
 *   <li>environment: {@code environment}, {@code env};
 *   <li>kept as facts, not owners: {@code app.kubernetes.io/managed-by} (a tool such as Helm),
 *       {@code app.kubernetes.io/part-of}, {@code app.kubernetes.io/name} (or {@code app}).
 * </ul>
 */
record Ownership(
        Sourced technical,
        Sourced business,
        Sourced environment,
        String managedBy,
        String partOf,
        String app,
        String description) {
    static final Ownership NONE = new Ownership(null, null, null, null, null, null, null);

    private static final List<String> TECHNICAL = List.of(
            "technical-owner",
            "technical_owner",
            "tech-owner",
            "team",
            "team-name",
            "owner-team",
            "owning-team",
            "squad");
    private static final List<String> BUSINESS =
            List.of("business-owner", "business_owner", "businessowner", "owner", "owned-by", "maintainer", "contact");
    private static final List<String> ENVIRONMENT = List.of("environment", "env");
    private static final int MAX_VALUE = 256;

    /** A value and where it came from. */
    record Sourced(String value, String from) {
        Sourced inheritedFrom(String object) {
            return new Sourced(value, object + " " + from);
        }
    }

    /** What {@code labels} and {@code annotations} of one object say. */
    static Ownership of(Map<String, String> labels, Map<String, String> annotations) {
        return new Ownership(
                find(labels, annotations, TECHNICAL),
                find(labels, annotations, BUSINESS),
                find(labels, annotations, ENVIRONMENT),
                exact(labels, annotations, "app.kubernetes.io/managed-by"),
                exact(labels, annotations, "app.kubernetes.io/part-of"),
                firstNonNull(exact(labels, annotations, "app.kubernetes.io/name"), exact(labels, Map.of(), "app")),
                firstNonNull(
                        exact(Map.of(), annotations, "kubernetes.io/description"),
                        exact(Map.of(), annotations, "description")));
    }

    boolean isEmpty() {
        return technical == null && business == null && environment == null;
    }

    /** This ownership with each missing field taken from {@code other}, marked as inherited from {@code object}. */
    Ownership orInherited(Ownership other, String object) {
        if (other == null) {
            return this;
        }
        return new Ownership(
                technical != null ? technical : inherit(other.technical, object),
                business != null ? business : inherit(other.business, object),
                environment != null ? environment : inherit(other.environment, object),
                managedBy,
                partOf,
                app,
                description);
    }

    /** The provenance of the owners, as the inventory records it. */
    String provenance() {
        if (technical == null && business == null) {
            return null;
        }
        if (technical == null || business == null || technical.from().equals(business.from())) {
            return (technical != null ? technical : business).from();
        }
        return technical.from() + ", " + business.from();
    }

    private static Sourced inherit(Sourced s, String object) {
        return s == null ? null : s.inheritedFrom(object);
    }

    private static Sourced find(Map<String, String> labels, Map<String, String> annotations, List<String> names) {
        for (String name : names) {
            Sourced s = match(labels, "label:", name);
            if (s == null) {
                s = match(annotations, "annotation:", name);
            }
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static Sourced match(Map<String, String> map, String kind, String name) {
        if (clean(map.get(name)) != null) {
            return new Sourced(clean(map.get(name)), kind + name);
        }
        String best = null;
        for (String key : map.keySet()) {
            String k = key.toLowerCase(Locale.ROOT);
            String last = k.substring(k.lastIndexOf('/') + 1);
            if (last.equals(name) && clean(map.get(key)) != null && (best == null || key.compareTo(best) < 0)) {
                best = key;
            }
        }
        return best == null ? null : new Sourced(clean(map.get(best)), kind + best);
    }

    private static String exact(Map<String, String> labels, Map<String, String> annotations, String key) {
        String v = clean(labels.get(key));
        return v != null ? v : clean(annotations.get(key));
    }

    /** A value fit to show: stripped, short, printable; otherwise null. */
    static String clean(String v) {
        if (v == null || v.isBlank() || v.length() > MAX_VALUE) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return null;
            }
        }
        return v.strip();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
