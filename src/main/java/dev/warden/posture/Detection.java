package dev.warden.posture;

import dev.warden.inventory.Credential;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Check} reports about one identity: how severe, which credential (null when the
 * identity as a whole is concerned), a discriminator that tells apart several problems of one check
 * on one identity and credential (a trust principal, a leak fingerprint; "" when there is one), a
 * one-line summary and the evidence: the facts and thresholds that fired, in a stable order. The
 * evaluator turns it into a {@link Finding} with a stable id.
 *
 * <p>Evidence values are strings, whole numbers, booleans or lists of strings; instants are written
 * as ISO-8601 text.
 */
public record Detection(
        Severity severity, String credentialId, String discriminator, String summary, Map<String, Object> evidence) {
    /** Longest summary kept; longer ones are cut. */
    public static final int MAX_SUMMARY = 500;

    /** Most list items kept in one evidence value (the count says how many there were). */
    public static final int MAX_LIST = 25;

    public Detection {
        Objects.requireNonNull(severity, "severity");
        discriminator = discriminator == null ? "" : discriminator;
        if (summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("a detection needs a summary");
        }
        summary = summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 1) + "…" : summary;
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public static Builder of(Severity severity, String summary) {
        return new Builder(severity, summary);
    }

    /** Builds a detection fact by fact. */
    public static final class Builder {
        private final Severity severity;
        private final String summary;
        private final Map<String, Object> evidence = new LinkedHashMap<>();
        private String credentialId;
        private String discriminator = "";

        private Builder(Severity severity, String summary) {
            this.severity = severity;
            this.summary = summary;
        }

        /** The credential concerned. */
        public Builder credential(Credential c) {
            this.credentialId = c == null ? null : c.id();
            return this;
        }

        public Builder credentialId(String id) {
            this.credentialId = id;
            return this;
        }

        /** Tells this problem apart from others of the same check on the same identity and credential. */
        public Builder key(String discriminator) {
            this.discriminator = discriminator;
            return this;
        }

        /** One fact; null values are left out. */
        public Builder fact(String name, Object value) {
            if (value == null) {
                return this;
            }
            evidence.put(name, normalize(name, value));
            return this;
        }

        public Detection build() {
            return new Detection(severity, credentialId, discriminator, summary, evidence);
        }

        private static Object normalize(String name, Object value) {
            if (value instanceof String || value instanceof Boolean || value instanceof Long) {
                return value;
            }
            if (value instanceof Integer i) {
                return i.longValue();
            }
            if (value instanceof Instant t) {
                return t.toString();
            }
            if (value instanceof Enum<?> e) {
                return e.toString().toLowerCase(java.util.Locale.ROOT);
            }
            if (value instanceof Collection<?> c) {
                List<String> out = new ArrayList<>(Math.min(c.size(), MAX_LIST));
                for (Object o : c) {
                    if (out.size() == MAX_LIST) {
                        break;
                    }
                    out.add(String.valueOf(o));
                }
                return List.copyOf(out);
            }
            throw new IllegalArgumentException("evidence '" + name + "' has an unsupported type "
                    + value.getClass().getSimpleName());
        }
    }
}
