package dev.warden.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection core. A keyword prefilter ({@link KeywordAutomaton}, Aho-Corasick over all rules'
 * keywords, case-insensitive)
 * touches every character once; each hit opens a bounded window (the keyword's line, plus the
 * lines the rule asks for) and only the rules owning that keyword run their RE2/J expressions on
 * it, so no input makes the scan super-linear. Then candidates are de-duplicated across rules (the
 * most specific wins), allowlists and inline {@code warden:allow} comments are applied, and each
 * survivor becomes a {@link Hit} with line, column, entropy, fingerprint and link key.
 *
 * <p>Text is the file's bytes read as ISO-8859-1 (one char per byte, any input decodes, no
 * allocation per line); secrets are ASCII in practice, and columns are converted to UTF-16 units of
 * the UTF-8 line when reported. Thread-safe: one engine serves all scanning threads.
 */
public final class Engine {
    /** Characters a window reaches back from a keyword (on its line). */
    static final int BACK = 512;
    /** Characters a window reaches forward from a keyword on a single line. */
    static final int FORWARD = 4096;
    /** Longest line read for an inline allow comment or a line allowlist. */
    static final int MAX_LINE_CONTEXT = 65_536;

    private static final String[] ALLOW_MARKERS = {"warden:allow", "gitleaks:allow"};

    private final List<Rule> rules;
    private final List<Allowlist> allowlists;
    private final Fingerprinter fingerprinter;
    private final KeywordAutomaton keywords;
    private final int[] keywordless;

    public Engine(RuleSet ruleSet, Fingerprinter fingerprinter) {
        this.rules = ruleSet.rules();
        this.allowlists = ruleSet.allowlists();
        this.fingerprinter = fingerprinter;
        Map<String, List<Integer>> byKeyword = new HashMap<>();
        List<Integer> none = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.keywords().isEmpty()) {
                none.add(i);
            }
            for (String k : r.keywords()) {
                byKeyword.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
            }
        }
        Map<String, int[]> table = new HashMap<>();
        byKeyword.forEach((k, ids) ->
                table.put(k, ids.stream().mapToInt(Integer::intValue).toArray()));
        this.keywords = new KeywordAutomaton(table);
        this.keywordless = none.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<Rule> rules() {
        return rules;
    }

    public Fingerprinter fingerprinter() {
        return fingerprinter;
    }

    /** What one scan of a text found, and how many candidates were allowed. */
    public record Result(List<Hit> hits, int allowedInline, int allowedByList) {}

    /** Maps 0-based line indexes of the scanned text to reported line numbers (history: added lines). */
    @FunctionalInterface
    public interface LineNumbers {
        int lineNumber(int index);
    }

    /** Scans raw bytes of a file at {@code path}. */
    public Result scan(String path, byte[] bytes, String commit, LineNumbers lines) {
        return scan(path, new String(bytes, StandardCharsets.ISO_8859_1), commit, lines);
    }

    /** Scans {@code text} (bytes as ISO-8859-1 chars) of the file at {@code path}. */
    public Result scan(String path, String text, String commit, LineNumbers lines) {
        if (text.isEmpty() && rules.stream().noneMatch(r -> r instanceof RegexRule rr && rr.pathOnly())) {
            return new Result(List.of(), 0, 0);
        }
        boolean[] active = new boolean[rules.size()];
        boolean any = false;
        for (int i = 0; i < active.length; i++) {
            active[i] = rules.get(i).appliesToPath(path);
            any |= active[i];
        }
        if (!any) {
            return new Result(List.of(), 0, 0);
        }
        Windows windows = new Windows(rules.size());
        int[] newlines = newlines(text);
        keywords.scan(text, (s, e, ruleIndexes) -> {
            int line = lineIndex(newlines, s);
            int lineStart = line == 0 ? 0 : newlines[line - 1] + 1;
            int start = Math.max(lineStart, s - BACK);
            for (int ruleIndex : ruleIndexes) {
                if (active[ruleIndex]) {
                    int linesAfter = rules.get(ruleIndex).linesAfter();
                    windows.add(ruleIndex, start, windowEnd(newlines, text.length(), line, e, linesAfter));
                }
            }
        });
        List<Found> found = new ArrayList<>();
        for (int ruleIndex : keywordless) {
            if (active[ruleIndex]) {
                run(ruleIndex, path, text, 0, text.length(), commit, found);
            }
        }
        for (int ruleIndex = 0; ruleIndex < rules.size(); ruleIndex++) {
            int[] w = windows.get(ruleIndex);
            for (int i = 0; w != null && i < w.length && w[i] >= 0; i += 2) {
                run(ruleIndex, path, text, w[i], w[i + 1], commit, found);
            }
        }
        if (found.isEmpty()) {
            return new Result(List.of(), 0, 0);
        }
        return finish(path, text, commit, lines, dedupe(found), newlines);
    }

    private void run(int ruleIndex, String path, String text, int from, int to, String commit, List<Found> out) {
        Rule rule = rules.get(ruleIndex);
        Fragment f = new Fragment(path, from == 0 && to == text.length() ? text : text.substring(from, to), commit);
        rule.find(f, c -> {
            if (c.matchEnd() > f.text().length()) {
                throw new IllegalStateException("rule " + rule.id() + " reported a match outside its fragment");
            }
            out.add(new Found(
                    ruleIndex,
                    rule.priority(),
                    from + c.matchStart(),
                    from + c.matchEnd(),
                    from + c.secretStart(),
                    from + c.secretEnd(),
                    c.confidence()));
        });
    }

    private record Found(int rule, int priority, int ms, int me, int ss, int se, Confidence confidence) {}

    /** Keeps, among candidates whose secrets overlap, the most specific rule's (then the longest). */
    private static List<Found> dedupe(List<Found> found) {
        found.sort(Comparator.comparingInt(Found::ss).thenComparingInt(f -> -f.se()));
        List<Found> kept = new ArrayList<>(found.size());
        for (Found f : found) {
            boolean drop = false;
            for (int i = kept.size() - 1; i >= 0 && i >= kept.size() - 8; i--) {
                Found k = kept.get(i);
                boolean overlap = f.ss() < k.se() && k.ss() < f.se() || (f.ss() == k.ss() && f.se() == k.se());
                if (!overlap) {
                    continue;
                }
                if (k.rule() == f.rule() || better(k, f)) {
                    drop = true;
                } else {
                    kept.set(i, f);
                    drop = true;
                }
                break;
            }
            if (!drop) {
                kept.add(f);
            }
        }
        return kept;
    }

    private static boolean better(Found a, Found b) {
        if (a.priority() != b.priority()) {
            return a.priority() > b.priority();
        }
        if (a.confidence() != b.confidence()) {
            return a.confidence().ordinal() < b.confidence().ordinal();
        }
        return a.se() - a.ss() >= b.se() - b.ss();
    }

    private Result finish(
            String path, String text, String commit, LineNumbers lines, List<Found> found, int[] newlines) {
        List<Hit> hits = new ArrayList<>(found.size());
        int inline = 0;
        int listed = 0;
        for (Found f : found) {
            Rule rule = rules.get(f.rule());
            boolean pathOnly = f.se() == f.ss();
            String secretChars = pathOnly ? path : text.substring(f.ss(), f.se());
            String match = pathOnly ? path : text.substring(f.ms(), f.me());
            int lineIndex = lineIndex(newlines, f.ss());
            int lineStart = lineIndex == 0 ? 0 : newlines[lineIndex - 1] + 1;
            int lineEnd = lineIndex < newlines.length ? newlines[lineIndex] : text.length();
            String line = text.substring(lineStart, Math.min(lineEnd, lineStart + MAX_LINE_CONTEXT));
            String secret = utf8(secretChars);
            if (allowedByList(rule.id(), commit, path, secret, utf8(match), utf8(line))) {
                listed++;
                continue;
            }
            int endIndex = lineIndex(newlines, Math.max(f.ss(), f.se() - 1));
            int endLineStart = endIndex == 0 ? 0 : newlines[endIndex - 1] + 1;
            int endLineEnd = endIndex < newlines.length ? newlines[endIndex] : text.length();
            if (hasAllowMarker(line)
                    || (endIndex != lineIndex
                            && hasAllowMarker(text.substring(
                                    endLineStart, Math.min(endLineEnd, endLineStart + MAX_LINE_CONTEXT))))) {
                inline++;
                continue;
            }
            int column = pathOnly ? 1 : utf16Column(text, lineStart, f.ss());
            int endColumn = pathOnly ? 1 : utf16Column(text, endLineStart, f.se());
            byte[] raw = secretChars.getBytes(StandardCharsets.ISO_8859_1);
            hits.add(new Hit(
                    rule.id(),
                    rule.description(),
                    rule.severity(),
                    f.confidence(),
                    path,
                    lines == null ? lineIndex + 1 : lines.lineNumber(lineIndex),
                    column,
                    lines == null ? endIndex + 1 : lines.lineNumber(endIndex),
                    endColumn,
                    commit,
                    null,
                    null,
                    null,
                    pathOnly ? "(file)" : Secrets.redact(secret),
                    fingerprinter.fingerprint(pathOnly ? ("path:" + path).getBytes(StandardCharsets.UTF_8) : raw),
                    pathOnly ? 0 : Secrets.entropy(secret),
                    pathOnly ? null : rule.linkKey(secret, utf8(match)).orElse(null),
                    null,
                    null,
                    pathOnly ? null : secret));
        }
        return new Result(hits, inline, listed);
    }

    private boolean allowedByList(String ruleId, String commit, String path, String secret, String match, String line) {
        for (Allowlist a : allowlists) {
            if (a.targets(ruleId) && a.allows(commit, path, secret, match, line)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAllowMarker(String line) {
        for (String m : ALLOW_MARKERS) {
            if (line.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * End of the window: the end of the keyword's line plus {@code linesAfter} lines, at most
     * {@link #FORWARD} characters a line past the keyword and {@link Fragment#MAX_WINDOW} in all.
     */
    private static int windowEnd(int[] newlines, int length, int line, int e, int linesAfter) {
        long reach = Math.min((long) FORWARD * (linesAfter + 1), Fragment.MAX_WINDOW - BACK);
        int cap = (int) Math.min(length, e + reach);
        int last = line + linesAfter;
        int end = last < newlines.length ? newlines[last] : length;
        return Math.max(e, Math.min(end, cap));
    }

    private static String utf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) >= 0x80) {
                return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return latin1;
    }

    /** 1-based column of {@code pos} in UTF-16 code units of the UTF-8-decoded line. */
    private static int utf16Column(String text, int lineStart, int pos) {
        for (int i = lineStart; i < pos; i++) {
            if (text.charAt(i) >= 0x80) {
                return utf8(text.substring(lineStart, pos)).length() + 1;
            }
        }
        return pos - lineStart + 1;
    }

    private static int[] newlines(String text) {
        int[] nl = new int[64];
        int n = 0;
        int i = text.indexOf('\n');
        while (i >= 0) {
            if (n == nl.length) {
                nl = Arrays.copyOf(nl, n * 2);
            }
            nl[n++] = i;
            i = text.indexOf('\n', i + 1);
        }
        return Arrays.copyOf(nl, n);
    }

    /** Index of the line holding {@code pos}, given the sorted newline offsets. */
    private static int lineIndex(int[] newlines, int pos) {
        int i = Arrays.binarySearch(newlines, pos);
        return i >= 0 ? i : -i - 1;
    }

    /** Per-rule windows, merged as they arrive (keyword hits come in text order). */
    private static final class Windows {
        private final int[][] spans;
        private final int[] sizes;

        Windows(int rules) {
            spans = new int[rules][];
            sizes = new int[rules];
        }

        void add(int rule, int start, int end) {
            int[] s = spans[rule];
            int n = sizes[rule];
            if (s == null) {
                s = new int[8];
                Arrays.fill(s, -1);
                spans[rule] = s;
            }
            if (n > 0) {
                int lastStart = s[n - 2];
                int lastEnd = s[n - 1];
                if (start >= lastStart && end <= lastEnd) {
                    return;
                }
                if (start <= lastEnd && start >= lastStart && end - lastStart <= Fragment.MAX_WINDOW) {
                    s[n - 1] = Math.max(lastEnd, end);
                    return;
                }
            }
            if (n + 2 > s.length) {
                int old = s.length;
                s = Arrays.copyOf(s, old * 2);
                Arrays.fill(s, old, s.length, -1);
                spans[rule] = s;
            }
            s[n] = start;
            s[n + 1] = end;
            sizes[rule] = n + 2;
        }

        int[] get(int rule) {
            return spans[rule];
        }
    }
}
