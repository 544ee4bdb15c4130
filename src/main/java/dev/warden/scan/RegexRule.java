package dev.warden.scan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A rule made of an RE2/J regular expression, as gitleaks defines one: the secret is capture group
 * {@code secretGroup} (or, when that is 0, the first non-empty group, or the whole match), kept only
 * when its entropy exceeds {@code minEntropy} and no allowlist of the rule allows it. A rule with a
 * path regex and no regex reports files by name (a key store, a credentials file). Built-in rules
 * add a validator (structure, checksum, example values) and a link to the inventory.
 */
public final class RegexRule implements Rule {
    private final String id;
    private final String description;
    private final Severity severity;
    private final Set<String> keywords;
    private final Pattern regex;
    private final int secretGroup;
    private final double minEntropy;
    private final Pattern path;
    private final List<Allowlist> allowlists;
    private final Predicate<String> validator;
    private final Function<String, Optional<LinkKey>> linker;
    private final Confidence confidence;
    private final int linesAfter;
    private final int priority;

    private RegexRule(Builder b) {
        this.id = b.id;
        this.description = b.description;
        this.severity = b.severity;
        this.keywords = Set.copyOf(b.keywords);
        this.regex = b.regex;
        this.secretGroup = b.secretGroup;
        this.minEntropy = b.minEntropy;
        this.path = b.path;
        this.allowlists = List.copyOf(b.allowlists);
        this.validator = b.validator;
        this.linker = b.linker;
        this.confidence = b.confidence;
        this.linesAfter = b.linesAfter;
        this.priority = b.priority;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public Set<String> keywords() {
        return keywords;
    }

    @Override
    public int linesAfter() {
        return linesAfter;
    }

    @Override
    public int priority() {
        return priority;
    }

    /** True for a rule that reports files by path alone. */
    public boolean pathOnly() {
        return regex == null;
    }

    @Override
    public boolean appliesToPath(String filePath) {
        return path == null || path.matcher(filePath).find();
    }

    @Override
    public Optional<LinkKey> linkKey(String secret, String match) {
        return linker.apply(secret);
    }

    @Override
    public void find(Fragment fragment, Consumer<Candidate> out) {
        String text = fragment.text();
        if (regex == null) {
            if (allowlists.stream().noneMatch(a -> a.allows(fragment.commit(), fragment.path(), "", "", ""))) {
                out.accept(Candidate.whole(0, 0, confidence));
            }
            return;
        }
        Matcher m = regex.matcher(text);
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            int ms = m.start();
            int me = m.end();
            from = me > ms ? me : ms + 1;
            if (me == ms) {
                continue;
            }
            int ss = ms;
            int se = me;
            int groups = m.groupCount();
            if (groups >= 1) {
                int g = -1;
                if (secretGroup > 0) {
                    if (secretGroup > groups) {
                        continue;
                    }
                    g = secretGroup;
                } else {
                    for (int i = 1; i <= groups; i++) {
                        if (m.start(i) >= 0 && m.end(i) > m.start(i)) {
                            g = i;
                            break;
                        }
                    }
                }
                if (g > 0) {
                    if (m.start(g) < 0) {
                        continue;
                    }
                    ss = m.start(g);
                    se = m.end(g);
                }
            }
            if (se <= ss) {
                continue;
            }
            String secret = text.substring(ss, se);
            if (minEntropy > 0 && Secrets.entropy(secret) <= minEntropy) {
                continue;
            }
            if (!validator.test(secret)) {
                continue;
            }
            if (!allowlists.isEmpty()) {
                int ls = text.lastIndexOf('\n', ms - 1) + 1;
                int le = text.indexOf('\n', me);
                String line = text.substring(ls, le < 0 ? text.length() : le);
                String match = text.substring(ms, me);
                if (allowlists.stream()
                        .anyMatch(a -> a.allows(fragment.commit(), fragment.path(), secret, match, line))) {
                    continue;
                }
            }
            out.accept(new Candidate(ms, me, ss, se, confidence));
        }
    }

    @Override
    public String toString() {
        return "RegexRule[" + id + "]";
    }

    /** Builds a rule; {@link #build()} checks it. */
    public static final class Builder {
        private final String id;
        private String description = "";
        private Severity severity = Severity.HIGH;
        private Set<String> keywords = Set.of();
        private Pattern regex;
        private int secretGroup;
        private double minEntropy;
        private Pattern path;
        private List<Allowlist> allowlists = List.of();
        private Predicate<String> validator = s -> true;
        private Function<String, Optional<LinkKey>> linker = s -> Optional.empty();
        private Confidence confidence = Confidence.HIGH;
        private int linesAfter;
        private int priority = 100;

        private Builder(String id) {
            this.id = id;
        }

        public Builder description(String d) {
            this.description = d;
            return this;
        }

        public Builder severity(Severity s) {
            this.severity = s;
            return this;
        }

        public Builder keywords(String... k) {
            this.keywords = Set.of(k);
            return this;
        }

        public Builder keywords(Set<String> k) {
            this.keywords = k;
            return this;
        }

        public Builder regex(String r) {
            return regex(Pattern.compile(r));
        }

        public Builder regex(Pattern r) {
            this.regex = r;
            return this;
        }

        public Builder secretGroup(int g) {
            this.secretGroup = g;
            return this;
        }

        public Builder minEntropy(double e) {
            this.minEntropy = e;
            return this;
        }

        public Builder path(Pattern p) {
            this.path = p;
            return this;
        }

        public Builder allowlists(List<Allowlist> a) {
            this.allowlists = a;
            return this;
        }

        public Builder validator(Predicate<String> v) {
            this.validator = v;
            return this;
        }

        public Builder linker(Function<String, Optional<LinkKey>> l) {
            this.linker = l;
            return this;
        }

        public Builder confidence(Confidence c) {
            this.confidence = c;
            return this;
        }

        public Builder linesAfter(int n) {
            this.linesAfter = n;
            return this;
        }

        public Builder priority(int p) {
            this.priority = p;
            return this;
        }

        public RegexRule build() {
            if (id == null || !RuleSet.RULE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("rule id '" + id + "' must match " + RuleSet.RULE_ID.pattern());
            }
            if (regex == null && path == null) {
                throw new IllegalArgumentException("rule '" + id + "' has neither a regex nor a path");
            }
            for (String k : keywords) {
                if (k.isEmpty() || !k.equals(k.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("rule '" + id + "': keywords must be non-empty lower-case");
                }
            }
            return new RegexRule(this);
        }
    }
}
