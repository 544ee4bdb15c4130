package dev.warden.scan;

import java.util.Locale;

/**
 * The lexer of {@link AssignmentRule}: a hand-written, single-pass reader of one line: assignments, XML elements, {@code ${k:v}}
 * fallbacks, environment fallbacks and attribute pairs. Plain code rather than regular
 * expressions: this rule runs on every line that mentions a key, token or password, so it must
 * cost a few operations per character.
 */
final class AssignmentLexer {
    private final String t;
    private final int start;
    private final int end;
    private final boolean code;
    private final String pendingName;
    private final Sink sink;
    private String nameAttribute;

    /**
     * Where a key is given a value: the value is {@code [valueStart, valueEnd)} of the text and the
     * whole match starts at {@code matchStart}; {@code literal} when the value cannot be a code
     * reference (quoted, outside a code file, or in a syntax that only takes literals).
     */
    @FunctionalInterface
    interface Sink {
        void assignment(String key, int matchStart, int valueStart, int valueEnd, boolean literal);
    }

    private AssignmentLexer(String t, int start, int end, boolean code, String pendingName, Sink sink) {
        this.t = t;
        this.start = start;
        this.end = end;
        this.code = code;
        this.pendingName = pendingName;
        this.sink = sink;
    }

    /**
     * Scans the line {@code [start, end)} of {@code t} (of a code file when {@code code}), handing
     * each assignment to {@code sink}; returns the name of a {@code - name: X} line for the next
     * line's {@code value:} (pass it as the next line's {@code pendingName}).
     */
    static String scan(String t, int start, int end, boolean code, String pendingName, Sink sink) {
        return new AssignmentLexer(t, start, end, code, pendingName, sink).scan();
    }

    private String scan() {
        String nextPending = null;
        for (int i = start; i < end; i++) {
            char c = t.charAt(i);
            if (c == '=' || c == ':') {
                String name = assignment(i);
                if (name != null) {
                    nextPending = name;
                }
            } else if (c == '<' && i + 1 < end && isIdentStart(t.charAt(i + 1))) {
                xmlElement(i);
            } else if (c == '$' && i + 1 < end && t.charAt(i + 1) == '{') {
                fallback(i);
            } else if (c == '(' && i > start) {
                envCall(i);
            } else if ((c == '|' || c == '?') && i + 1 < end && t.charAt(i + 1) == c) {
                envOr(i);
            }
        }
        return nextPending;
    }

    /** {@code key SEP value}; returns the value of a {@code name:} key (Kubernetes env lists). */
    private String assignment(int op) {
        char c = t.charAt(op);
        int valueFrom;
        if (c == '=') {
            char prev = op > start ? t.charAt(op - 1) : ' ';
            if (prev == '='
                    || prev == '!'
                    || prev == '<'
                    || prev == '>'
                    || prev == ':'
                    || prev == '+'
                    || prev == '-'
                    || prev == '*'
                    || prev == '/'
                    || prev == '|'
                    || prev == '&') {
                return null;
            }
            char next = op + 1 < end ? t.charAt(op + 1) : ' ';
            if (next == '=') {
                return null;
            }
            valueFrom = next == '>' ? op + 2 : op + 1;
        } else {
            char next = op + 1 < end ? t.charAt(op + 1) : ' ';
            char prev = op > start ? t.charAt(op - 1) : ' ';
            if (next == ':' || prev == ':' || next == '/') {
                return null; // C++ scopes, URLs
            }
            valueFrom = next == '=' ? op + 2 : op + 1;
        }
        int k = op - 1;
        int spaces = 0;
        while (k >= start && (t.charAt(k) == ' ' || t.charAt(k) == '\t') && spaces++ < 8) {
            k--;
        }
        if (k >= start && (t.charAt(k) == '"' || t.charAt(k) == '\'' || t.charAt(k) == '`' || t.charAt(k) == ']')) {
            k--;
        }
        int keyEnd = k + 1;
        while (k >= start && keyEnd - k <= 80 && isKeyChar(t.charAt(k))) {
            k--;
        }
        int keyStart = k + 1;
        while (keyStart < keyEnd && !isIdentStart(t.charAt(keyStart))) {
            keyStart++;
        }
        if (keyStart >= keyEnd
                || (keyStart >= start + 2 && t.charAt(keyStart - 1) == '{' && t.charAt(keyStart - 2) == '$')) {
            return null; // ${KEY:default} is read by fallback()
        }
        String key = t.substring(keyStart, keyEnd);
        int[] v = value(valueFrom);
        if (v == null) {
            return null;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.equals("name") || lower.equals("key")) {
            if (v[2] == 1) {
                nameAttribute = t.substring(v[0], v[1]);
            }
            return c == ':' ? t.substring(v[0], v[1]) : null;
        }
        if (lower.equals("value")) {
            String named = nameAttribute != null ? nameAttribute : pendingName;
            if (named != null) {
                report(named, keyStart, v, true);
            }
            return null;
        }
        report(key, keyStart, v, v[2] == 1 || !code);
        return null;
    }

    /** Value bounds from {@code from}: {start, end, quoted(1/0)}, or null when there is none. */
    private int[] value(int from) {
        int i = from;
        int spaces = 0;
        while (i < end && (t.charAt(i) == ' ' || t.charAt(i) == '\t') && spaces++ < 8) {
            i++;
        }
        if (i >= end) {
            return null;
        }
        char q = t.charAt(i);
        if (q == '"' || q == '\'' || q == '`') {
            int j = i + 1;
            while (j < end && j - i <= 257) {
                char ch = t.charAt(j);
                if (ch == '\\' && q == '"') {
                    j += 2;
                    continue;
                }
                if (ch == q) {
                    return j > i + 1 ? new int[] {i + 1, j, 1} : null;
                }
                j++;
            }
            return null;
        }
        if (Character.isWhitespace(q) || "\",;}<)(][{>=".indexOf(q) >= 0) {
            return null;
        }
        int j = i;
        while (j < end && j - i < 256) {
            char ch = t.charAt(j);
            if (Character.isWhitespace(ch) || "\"'`,;}<)".indexOf(ch) >= 0 || (code && (ch == '[' || ch == '('))) {
                break;
            }
            j++;
        }
        return new int[] {i, j, 0};
    }

    /** {@code <key attrs>value</key>}. */
    private void xmlElement(int lt) {
        int i = lt + 1;
        while (i < end && i - lt <= 81 && (isKeyChar(t.charAt(i)) || t.charAt(i) == ':')) {
            i++;
        }
        String tag = t.substring(lt + 1, i);
        int gt = t.indexOf('>', i);
        if (gt < 0 || gt >= end || gt - i > 200 || t.charAt(gt - 1) == '/') {
            return;
        }
        int close = t.indexOf('<', gt + 1);
        if (close < 0 || close >= end || close - gt - 1 > 256 || close == gt + 1) {
            return;
        }
        if (!t.startsWith("</" + tag + ">", close)) {
            return;
        }
        int colon = tag.lastIndexOf(':');
        report(colon >= 0 ? tag.substring(colon + 1) : tag, lt, new int[] {gt + 1, close, 1}, true);
    }

    /** {@code ${key:default}} (Spring) and {@code ${KEY:-default}} (shell). */
    private void fallback(int dollar) {
        int i = dollar + 2;
        int keyStart = i;
        while (i < end && i - keyStart < 80 && isKeyChar(t.charAt(i))) {
            i++;
        }
        if (i == keyStart || i >= end || t.charAt(i) != ':') {
            return;
        }
        int v = i + 1;
        if (v < end && t.charAt(v) == '-') {
            v++;
        }
        int j = v;
        while (j < end
                && j - v < 256
                && t.charAt(j) != '}'
                && !Character.isWhitespace(t.charAt(j))
                && "\"'`".indexOf(t.charAt(j)) < 0) {
            j++;
        }
        if (j >= end || t.charAt(j) != '}' || j == v) {
            return;
        }
        report(t.substring(keyStart, i), dollar, new int[] {v, j, 1}, true);
    }

    /** {@code getenv("KEY", "v")}, {@code environ.get("KEY", "v")}, {@code getOrDefault("KEY", "v")}. */
    private void envCall(int paren) {
        int n = paren;
        while (n > start && (Character.isLetterOrDigit(t.charAt(n - 1)) || t.charAt(n - 1) == '_')) {
            n--;
        }
        String fn = t.substring(n, paren);
        if (!fn.equals("getenv")
                && !fn.equals("get")
                && !fn.equals("getOrDefault")
                && !fn.equals("getProperty")
                && !fn.equals("fetch")
                && !fn.equals("GetEnvironmentVariable")) {
            return;
        }
        int[] key = quoted(paren + 1);
        if (key == null) {
            return;
        }
        int i = key[1] + 1;
        while (i < end && t.charAt(i) == ' ') {
            i++;
        }
        if (i >= end || t.charAt(i) != ',') {
            return;
        }
        int[] v = quoted(i + 1);
        if (v != null) {
            report(t.substring(key[0], key[1]), n, new int[] {v[0], v[1], 1}, true);
        }
    }

    /** {@code process.env.KEY || 'v'} and {@code process.env["KEY"] ?? "v"}. */
    private void envOr(int op) {
        int k = op - 1;
        while (k > start && t.charAt(k) == ' ') {
            k--;
        }
        if (k > start && (t.charAt(k) == ']' || t.charAt(k) == '"' || t.charAt(k) == '\'')) {
            while (k > start && (t.charAt(k) == ']' || t.charAt(k) == '"' || t.charAt(k) == '\'')) {
                k--;
            }
        }
        int keyEnd = k + 1;
        while (k >= start && (Character.isLetterOrDigit(t.charAt(k)) || t.charAt(k) == '_')) {
            k--;
        }
        int keyStart = k + 1;
        if (keyStart >= keyEnd) {
            return;
        }
        int envEnd = k + 1;
        while (envEnd > start && "[\"'.".indexOf(t.charAt(envEnd - 1)) >= 0) {
            envEnd--;
        }
        if (envEnd < start + 11 || !t.startsWith("process.env", envEnd - 11)) {
            return;
        }
        int[] v = quoted(op + 2);
        if (v != null) {
            report(t.substring(keyStart, keyEnd), envEnd - 11, new int[] {v[0], v[1], 1}, true);
        }
    }

    /** A quoted string after optional spaces at {@code from}: {contentStart, contentEnd}. */
    private int[] quoted(int from) {
        int i = from;
        while (i < end && t.charAt(i) == ' ') {
            i++;
        }
        if (i >= end) {
            return null;
        }
        char q = t.charAt(i);
        if (q != '"' && q != '\'' && q != '`') {
            return null;
        }
        int j = t.indexOf(q, i + 1);
        return j < 0 || j >= end || j == i + 1 || j - i > 257 ? null : new int[] {i + 1, j};
    }

    private void report(String key, int matchStart, int[] v, boolean literal) {
        sink.assignment(key, matchStart, v[0], v[1], literal);
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }
}
