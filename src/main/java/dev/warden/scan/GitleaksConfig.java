package dev.warden.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.warden.input.ParseErrors;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads gitleaks rule files as they are: {@code [[rules]]} (id, description, regex, secretGroup,
 * entropy, keywords, path), per-rule {@code [[rules.allowlists]]} (and the older
 * {@code [rules.allowlist]}), global {@code [allowlist]} / {@code [[allowlists]]} (with
 * {@code targetRules}), and {@code [extend]} ({@code useDefault} extends Warden's built-in rules,
 * {@code path} another file, {@code disabledRules}). A file without {@code [extend]} replaces the
 * defaults, as in gitleaks. Regexes are RE2 syntax (as in Go); a regex RE2/J cannot compile, one that
 * matches the empty string, or one whose nested counted repetitions expand past
 * {@link #MAX_EXPANSION} is refused with the rule id and the reason. Every error names the file.
 */
public final class GitleaksConfig {
    /** Largest product of nested counted repetitions ({@code (a{100}){100}} is 10,000). */
    static final long MAX_EXPANSION = 10_000;

    private static final TomlMapper TOML = ParseErrors.quiet(new TomlMapper());

    private GitleaksConfig() {}

    /** Loads {@code file} into a rule set; throws IllegalArgumentException with a message naming the file. */
    public static RuleSet load(Path file, Clock clock) {
        return load(file, clock, 0, new HashSet<>());
    }

    private static RuleSet load(Path file, Clock clock, int depth, Set<Path> seen) {
        String where = "rules file " + file;
        JsonNode doc = parse(file, where);
        Path real = file.toAbsolutePath().normalize();
        if (!seen.add(real)) {
            throw new IllegalArgumentException(where + ": [extend] path loops back to this file");
        }
        Map<String, Rule> rules = new LinkedHashMap<>();
        List<Allowlist> allowlists = new ArrayList<>();
        JsonNode extend = doc.path("extend");
        if (!extend.isMissingNode()) {
            requireType(extend.isObject(), where, "[extend] must be a table");
            if (bool(extend, "useDefault", where)) {
                BuiltinRules.all(clock).forEach(r -> rules.put(r.id(), r));
            }
            String base = text(extend, "path", where);
            if (base != null) {
                if (depth + 1 > Limits.MAX_EXTEND_DEPTH) {
                    throw new IllegalArgumentException(
                            where + ": [extend] chain deeper than " + Limits.MAX_EXTEND_DEPTH + " files");
                }
                Path parent = real.getParent();
                Path target = parent == null ? Path.of(base) : parent.resolve(base);
                RuleSet inherited = load(target, clock, depth + 1, seen);
                inherited.rules().forEach(r -> rules.put(r.id(), r));
                allowlists.addAll(inherited.allowlists());
            }
            for (String id : strings(extend, "disabledRules", where)) {
                rules.remove(id);
            }
        }
        JsonNode list = doc.path("rules");
        if (!list.isMissingNode()) {
            requireType(list.isArray(), where, "rules must be an array of tables ([[rules]])");
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Rule r = rule(list.get(i), where + ": rules[" + i + "]", where);
                if (!ids.add(r.id())) {
                    throw new IllegalArgumentException(where + ": rule '" + r.id() + "' is defined twice");
                }
                rules.put(r.id(), r);
            }
        }
        if (rules.size() > Limits.MAX_RULES) {
            throw new IllegalArgumentException(where + ": more than " + Limits.MAX_RULES + " rules");
        }
        JsonNode global = doc.path("allowlist");
        if (!global.isMissingNode()) {
            allowlists.add(allowlist(global, where + ": [allowlist]", true));
        }
        JsonNode globals = doc.path("allowlists");
        if (!globals.isMissingNode()) {
            requireType(globals.isArray(), where, "allowlists must be an array of tables ([[allowlists]])");
            for (int i = 0; i < globals.size(); i++) {
                allowlists.add(allowlist(globals.get(i), where + ": allowlists[" + i + "]", true));
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": defines no rules (add [[rules]] or [extend] useDefault = true)");
        }
        return new RuleSet(new ArrayList<>(rules.values()), allowlists);
    }

    private static JsonNode parse(Path file, String where) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(where + ": no such file");
            }
            if (Files.size(file) > Limits.MAX_RULE_FILE) {
                throw new IllegalArgumentException(where + ": larger than " + Limits.MAX_RULE_FILE + " bytes");
            }
            JsonNode doc = TOML.readTree(Files.readAllBytes(file));
            if (doc == null || !doc.isObject()) {
                throw new IllegalArgumentException(where + ": not a TOML document");
            }
            return doc;
        } catch (JsonProcessingException e) {
            long line = ParseErrors.line(e);
            throw new IllegalArgumentException(where + ": malformed TOML" + (line < 1 ? "" : " at line " + line) + ": "
                    + ParseErrors.description(e));
        } catch (CharConversionException e) {
            throw new IllegalArgumentException(where + ": malformed TOML: the file is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": " + FileScanner.describe(e));
        }
    }

    private static Rule rule(JsonNode n, String at, String where) {
        requireType(n.isObject(), at, "must be a table");
        String id = text(n, "id", at);
        if (id == null || !RuleSet.RULE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(at + ": id is required and must match " + RuleSet.RULE_ID.pattern());
        }
        String ruleAt = where + ": rule '" + id + "'";
        String regexText = text(n, "regex", ruleAt);
        String pathText = text(n, "path", ruleAt);
        if (regexText == null && pathText == null) {
            throw new IllegalArgumentException(ruleAt + ": needs a regex or a path");
        }
        RegexRule.Builder b = RegexRule.builder(id)
                .description(text(n, "description", ruleAt) == null ? "" : text(n, "description", ruleAt))
                .severity(Severity.HIGH)
                .confidence(Confidence.MEDIUM)
                .priority(50);
        int groups = 0;
        if (regexText != null) {
            Pattern p = compile(regexText, ruleAt + ": regex");
            groups = p.groupCount();
            b.regex(p);
        }
        if (pathText != null) {
            b.path(compile(pathText, ruleAt + ": path"));
        }
        JsonNode sg = n.path("secretGroup");
        if (!sg.isMissingNode()) {
            requireType(sg.isInt() && sg.asInt() >= 0, ruleAt, "secretGroup must be a non-negative integer");
            if (sg.asInt() > groups) {
                throw new IllegalArgumentException(
                        ruleAt + ": secretGroup " + sg.asInt() + " but the regex has " + groups + " groups");
            }
            b.secretGroup(sg.asInt());
        }
        JsonNode entropy = n.path("entropy");
        if (!entropy.isMissingNode()) {
            requireType(
                    entropy.isNumber() && entropy.asDouble() >= 0 && entropy.asDouble() <= 8,
                    ruleAt,
                    "entropy must be a number between 0 and 8");
            b.minEntropy(entropy.asDouble());
        }
        List<String> keywords = new ArrayList<>();
        for (String k : strings(n, "keywords", ruleAt)) {
            if (!k.isEmpty()) {
                keywords.add(k.toLowerCase(Locale.ROOT));
            }
        }
        b.keywords(Set.copyOf(keywords));
        List<Allowlist> allowlists = new ArrayList<>();
        JsonNode single = n.path("allowlist");
        if (!single.isMissingNode()) {
            allowlists.add(allowlist(single, ruleAt + ": allowlist", false));
        }
        JsonNode many = n.path("allowlists");
        if (!many.isMissingNode()) {
            requireType(many.isArray(), ruleAt, "allowlists must be an array of tables");
            for (int i = 0; i < many.size(); i++) {
                allowlists.add(allowlist(many.get(i), ruleAt + ": allowlists[" + i + "]", false));
            }
        }
        b.allowlists(allowlists);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ruleAt + ": " + e.getMessage());
        }
    }

    private static Allowlist allowlist(JsonNode n, String at, boolean global) {
        requireType(n.isObject(), at, "must be a table");
        String condition = text(n, "condition", at);
        boolean and = false;
        if (condition != null) {
            switch (condition.strip().toUpperCase(Locale.ROOT)) {
                case "OR" -> and = false;
                case "AND" -> and = true;
                default -> throw new IllegalArgumentException(at + ": condition must be OR or AND");
            }
        }
        String target = text(n, "regexTarget", at);
        Allowlist.Target t = Allowlist.Target.SECRET;
        if (target != null) {
            t = switch (target.strip().toLowerCase(Locale.ROOT)) {
                case "secret", "" -> Allowlist.Target.SECRET;
                case "match" -> Allowlist.Target.MATCH;
                case "line" -> Allowlist.Target.LINE;
                default -> throw new IllegalArgumentException(at + ": regexTarget must be secret, match or line");
            };
        }
        List<Pattern> paths = new ArrayList<>();
        for (String p : strings(n, "paths", at)) {
            paths.add(compile(p, at + ": paths"));
        }
        List<Pattern> regexes = new ArrayList<>();
        for (String r : strings(n, "regexes", at)) {
            regexes.add(compile(r, at + ": regexes"));
        }
        Set<String> targetRules = global ? Set.copyOf(strings(n, "targetRules", at)) : Set.of();
        return new Allowlist(
                text(n, "description", at),
                and,
                Set.copyOf(strings(n, "commits", at)),
                paths,
                t,
                regexes,
                strings(n, "stopwords", at),
                targetRules);
    }

    /** Compiles an RE2 expression or refuses it with the reason. */
    static Pattern compile(String regex, String at) {
        if (regex.length() > Limits.MAX_REGEX) {
            throw new IllegalArgumentException(at + " is longer than " + Limits.MAX_REGEX + " characters");
        }
        long expansion = expansion(regex);
        if (expansion > MAX_EXPANSION) {
            throw new IllegalArgumentException(at + " is refused: nested counted repetitions expand to " + expansion
                    + " copies (limit " + MAX_EXPANSION + ")");
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(at + " does not compile as RE2 (no look-around or back-references): "
                    + firstLine(e.getDescription()));
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException(
                    at + " is refused: " + e.getClass().getSimpleName());
        }
        if (p.matcher("").find()) {
            throw new IllegalArgumentException(
                    at + " is refused: it matches the empty string (it would match everywhere)");
        }
        return p;
    }

    /**
     * The largest product of counted repetition bounds along any nesting path: the copies of a
     * sub-expression an RE2 program would hold. {@code *}, {@code +} and {@code ?} cost nothing.
     */
    static long expansion(String regex) {
        Deque<Long> stack = new ArrayDeque<>();
        stack.push(1L);
        long last = 1; // cost of the atom just closed, for a following quantifier
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i += 2;
                last = 1;
                continue;
            }
            if (c == '[') {
                int j = i + 1;
                if (j < regex.length() && regex.charAt(j) == '^') {
                    j++;
                }
                if (j < regex.length() && regex.charAt(j) == ']') {
                    j++;
                }
                while (j < regex.length() && regex.charAt(j) != ']') {
                    j += regex.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                last = 1;
                continue;
            }
            if (c == '(') {
                stack.push(1L);
                i++;
                continue;
            }
            if (c == ')') {
                last = stack.size() > 1 ? stack.pop() : 1;
                i++;
                long q = quantifier(regex, i);
                long cost = saturate(last, q);
                stack.push(Math.max(stack.pop(), cost));
                continue;
            }
            if (c == '{') {
                long q = quantifier(regex, i);
                if (q > 1) {
                    stack.push(Math.max(stack.pop(), q));
                }
            }
            last = 1;
            i++;
        }
        long max = 1;
        while (!stack.isEmpty()) {
            max = Math.max(max, stack.pop());
        }
        return max;
    }

    /** The upper bound of a {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i}, else 1. */
    private static long quantifier(String regex, int i) {
        if (i >= regex.length() || regex.charAt(i) != '{') {
            return 1;
        }
        int close = regex.indexOf('}', i);
        if (close < 0 || close - i > 24) {
            return 1;
        }
        String body = regex.substring(i + 1, close);
        if (!body.matches("\\d{1,9}(,\\d{0,9})?")) {
            return 1;
        }
        String[] parts = body.split(",", -1);
        String hi = parts.length == 1 ? parts[0] : parts[1].isEmpty() ? parts[0] : parts[1];
        return Math.max(1, Long.parseLong(hi));
    }

    private static long saturate(long a, long b) {
        return a > Long.MAX_VALUE / Math.max(1, b) ? Long.MAX_VALUE : a * b;
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        requireType(v.isTextual(), at, field + " must be a string");
        return v.asText();
    }

    private static boolean bool(JsonNode n, String field, String at) {
        JsonNode v = n.path(field);
        if (v.isMissingNode()) {
            return false;
        }
        requireType(v.isBoolean(), at, field + " must be true or false");
        return v.asBoolean();
    }

    private static List<String> strings(JsonNode n, String field, String at) {
        JsonNode v = n.path(field);
        if (v.isMissingNode()) {
            return List.of();
        }
        requireType(v.isArray(), at, field + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            requireType(e.isTextual(), at, field + " must be an array of strings");
            out.add(e.asText());
        }
        return out;
    }

    private static void requireType(boolean ok, String at, String message) {
        if (!ok) {
            throw new IllegalArgumentException(at + ": " + message);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
