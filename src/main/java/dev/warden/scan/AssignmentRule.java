package dev.warden.scan;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generic secret assignments: a key whose name says it holds a password, secret, token or API key,
 * given a literal value. Understands {@code key = value}, {@code key: value}, {@code "key": "value"},
 * {@code key => value}, {@code key := value}, XML elements and attributes, Spring
 * {@code ${key:default}} and shell {@code ${KEY:-default}} fallbacks, environment fallbacks
 * ({@code process.env.KEY || 'v'}, {@code os.getenv("KEY", "v")}) and Kubernetes
 * {@code - name: KEY} / {@code value: v} pairs. Values stop at whitespace, quotes, {@code , ; } < )};
 * references, placeholders, hashes, UUIDs, public keys and prose are not secrets, and keys that name
 * non-credentials (cache keys, idempotency keys, digests, public keys, ids) are ignored.
 */
final class AssignmentRule implements Rule {
    private static final Pattern LOWER_IDENTIFIER = Pattern.compile("^[A-Za-z_]*$");
    private static final Set<String> NOUNS = Set.of(
            "password",
            "passwd",
            "passwort",
            "pass",
            "pwd",
            "passphrase",
            "secret",
            "token",
            "apikey",
            "credential",
            "credentials",
            "secretkey",
            "accesskey",
            "privatekey",
            "authkey",
            "authtoken",
            "accesstoken",
            "refreshtoken",
            "clienttoken",
            "clientsecret",
            "appsecret",
            "webhooksecret",
            "masterkey",
            "signingkey",
            "encryptionkey",
            "dbpass",
            "dbpassword",
            "adminpass",
            "adminpassword",
            "rootpassword",
            "apitoken",
            "bearertoken",
            "privatetoken",
            "sessiontoken",
            "secrettoken",
            "apisecret",
            "consumersecret");
    private static final Set<String> KEY_QUALIFIERS = Set.of(
            "api",
            "access",
            "secret",
            "private",
            "auth",
            "signing",
            "sign",
            "encryption",
            "encrypt",
            "master",
            "app",
            "application",
            "service",
            "client",
            "account",
            "admin",
            "license",
            "write",
            "deploy",
            "webhook",
            "hmac",
            "jwt",
            "session",
            "cookie",
            "aes",
            "shared",
            "root",
            "consumer",
            "subscription",
            "storage",
            "ssh",
            "gpg");
    private static final Set<String> SUFFIXES = Set.of("base", "value", "b64", "base64", "hex", "plain", "plaintext");
    private static final Set<String> DENY = Set.of(
            "public",
            "pub",
            "cache",
            "idempotency",
            "idempotent",
            "hash",
            "hashed",
            "digest",
            "checksum",
            "page",
            "pagination",
            "continuation",
            "next",
            "cursor",
            "csrf",
            "xsrf",
            "sync",
            "length",
            "len",
            "min",
            "max",
            "count",
            "policy",
            "policies",
            "file",
            "path",
            "dir",
            "placeholder",
            "hint",
            "prompt",
            "label",
            "field",
            "type",
            "url",
            "uri",
            "endpoint",
            "expiry",
            "expires",
            "expiration",
            "ttl",
            "timeout",
            "header",
            "name",
            "id",
            "format",
            "regex",
            "pattern",
            "validator",
            "validation",
            "lifetime",
            "rotation",
            "issuer",
            "audience",
            "algorithm",
            "alg",
            "usage",
            "enabled",
            "required",
            "ref",
            "arn",
            "source",
            "provider",
            "manager",
            "store",
            "strength",
            "rules",
            "mode",
            "version",
            "fingerprint",
            "kid",
            "size",
            "bits",
            "duration",
            "index",
            "sort",
            "partition",
            "routing",
            "row",
            "primary",
            "foreign",
            "map",
            "lookup",
            "message",
            "msg",
            "error",
            "prefix",
            "suffix",
            "column",
            "param",
            "input",
            "method",
            "location",
            "example",
            "sample",
            "test",
            "dummy",
            "fake",
            "mock",
            "old",
            "current",
            "confirm",
            "confirmation",
            "reset",
            "forgot",
            "new",
            "display",
            "show",
            "hide",
            "visible",
            "toggle",
            "icon",
            "button",
            "link");

    @Override
    public String id() {
        return "generic-secret-assignment";
    }

    @Override
    public String description() {
        return "Password, secret, token or API key assigned a literal value";
    }

    @Override
    public Severity severity() {
        return Severity.MEDIUM;
    }

    @Override
    public Set<String> keywords() {
        return Set.of("pass", "pwd", "secret", "token", "key", "credential");
    }

    @Override
    public int linesAfter() {
        return 1;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public void find(Fragment fragment, Consumer<Candidate> out) {
        String text = fragment.text();
        boolean code = Values.isCodeFile(fragment.extension());
        String pendingName = null;
        int ls = 0;
        while (ls <= text.length()) {
            int le = text.indexOf('\n', ls);
            if (le < 0) {
                le = text.length();
            }
            pendingName = new Line(text, ls, le, code, pendingName, out).scan();
            ls = le + 1;
        }
    }

    /**
     * A hand-written, single-pass reader of one line: assignments, XML elements, {@code ${k:v}}
     * fallbacks, environment fallbacks and attribute pairs. Plain code rather than regular
     * expressions: this rule runs on every line that mentions a key, token or password, so it must
     * cost a few operations per character.
     */
    private static final class Line {
        private final String t;
        private final int start;
        private final int end;
        private final boolean code;
        private final String pendingName;
        private final Consumer<Candidate> out;
        private String nameAttribute;

        Line(String t, int start, int end, boolean code, String pendingName, Consumer<Candidate> out) {
            this.t = t;
            this.start = start;
            this.end = end;
            this.code = code;
            this.pendingName = pendingName;
            this.out = out;
        }

        /** Scans the line; returns the name of a {@code - name: X} line for the next line's {@code value:}. */
        String scan() {
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
            if (!isSecretKey(key)) {
                return;
            }
            int vs = v[0];
            int ve = v[1];
            while (ve > vs && Character.isWhitespace(t.charAt(ve - 1))) {
                ve--;
            }
            Confidence c = judge(key, t.substring(vs, ve), literal, code);
            if (c != null) {
                out.accept(new Candidate(Math.min(matchStart, vs), Math.max(ve, v[1]), vs, ve, c));
            }
        }
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    /** The confidence that {@code value} under {@code key} is a real secret, or null when it is not one. */
    static Confidence judge(String key, String value, boolean literal, boolean code) {
        String v = value.strip();
        if (v.length() < 6 || v.length() > 256) {
            return null;
        }
        if (Values.isPlaceholder(v)
                || Secrets.isNonValue(v)
                || Secrets.isExample(v)
                || Values.isUuid(v)
                || Values.isPasswordHash(v)
                || Values.isDigest(v)
                || Values.isPublicKey(v)
                || Values.isProse(v)) {
            return null;
        }
        if (!literal && code && Values.isCodeReference(v)) {
            return null;
        }
        if (v.equalsIgnoreCase(key)
                || (LOWER_IDENTIFIER.matcher(v).matches()
                        && v.toLowerCase(Locale.ROOT).contains(lastWord(key)))) {
            return null; // password: my_password, token: TOKEN
        }
        int classes = Secrets.classes(v);
        boolean digitsOnly = v.chars().allMatch(Character::isDigit);
        if (digitsOnly) {
            return null;
        }
        double entropy = Secrets.entropy(v);
        if (isPasswordKey(key)) {
            if (v.length() >= 8 && (classes >= 3 || entropy >= 3.5)) {
                return Confidence.MEDIUM;
            }
            return classes >= 2 ? Confidence.LOW : null;
        }
        if (v.length() < 12 || entropy < 3.0 || classes < 2 && !isHex(v)) {
            return null;
        }
        return entropy >= 3.5 ? Confidence.MEDIUM : Confidence.LOW;
    }

    private static boolean isHex(String v) {
        return v.length() >= 32 && v.chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    }

    private static String lastWord(String key) {
        List<String> w = words(key);
        return w.isEmpty() ? key.toLowerCase(Locale.ROOT) : w.get(w.size() - 1);
    }

    static boolean isPasswordKey(String key) {
        for (String w : words(key)) {
            if (w.startsWith("pass") || w.equals("pwd") || w.endsWith("password") || w.endsWith("passwd")) {
                return true;
            }
        }
        return false;
    }

    /** True when the key's name says it holds a credential. */
    static boolean isSecretKey(String key) {
        List<String> w = words(key);
        if (w.isEmpty()) {
            return false;
        }
        for (String word : w) {
            if (DENY.contains(word)) {
                return false;
            }
        }
        int last = w.size() - 1;
        if (last > 0 && SUFFIXES.contains(w.get(last))) {
            last--;
        }
        String word = w.get(last);
        if (NOUNS.contains(word)
                || word.endsWith("password")
                || word.endsWith("passwd")
                || word.endsWith("secret")
                || word.endsWith("token")
                || word.endsWith("apikey")) {
            return !word.equals("pass") || w.size() > 1 || key.length() <= 4;
        }
        return word.equals("key") && last > 0 && KEY_QUALIFIERS.contains(w.get(last - 1));
    }

    /** Lower-case words of an identifier: {@code dbPassword} → db, password; {@code X-API-KEY} → x, api, key. */
    static List<String> words(String key) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (!Character.isLetterOrDigit(ch)) {
                flush(cur, out);
                continue;
            }
            if (Character.isUpperCase(ch) && cur.length() > 0) {
                char prev = key.charAt(i - 1);
                boolean nextLower = i + 1 < key.length() && Character.isLowerCase(key.charAt(i + 1));
                if (Character.isLowerCase(prev)
                        || Character.isDigit(prev)
                        || (Character.isUpperCase(prev) && nextLower)) {
                    flush(cur, out);
                }
            }
            cur.append(Character.toLowerCase(ch));
        }
        flush(cur, out);
        return out;
    }

    private static void flush(StringBuilder cur, List<String> out) {
        if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
        }
    }
}
