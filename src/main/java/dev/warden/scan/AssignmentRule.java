package dev.warden.scan;

import com.google.re2j.Matcher;
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
    private static final String KEY = "([A-Za-z_][A-Za-z0-9_.-]{0,80})";
    private static final String VALUE =
            "(?:\"((?:[^\"\\\\\\r\\n]|\\\\.){1,256})\"|'([^'\\r\\n]{1,256})'|`([^`\\r\\n]{1,256})`"
                    + "|([^\\s\"'`,;}<)(\\]\\[{>=][^\\s\"'`,;}<)]{0,255}))";
    /** key SEP value: properties, env, YAML, JSON, TOML, code, XML attributes, CLI flags. */
    private static final Pattern ASSIGN = Pattern.compile(
            "(?:^|[^A-Za-z0-9_.$])" + KEY + "[\"'`]?\\]?\\s{0,8}(?::=|=>|=|:)[ \\t]{0,8}(?:\\{[ \\t]*)?" + VALUE);
    /** {@code <key>value</key>}. */
    private static final Pattern XML_ELEMENT = Pattern.compile(
            "<([A-Za-z_][A-Za-z0-9_.:-]{0,80})(?:\\s[^>]{0,200})?>([^<\\r\\n]{1,256})</([A-Za-z_][A-Za-z0-9_.:-]{0,80})>");
    /** {@code ${key:default}} (Spring) and {@code ${KEY:-default}} (shell). */
    private static final Pattern FALLBACK =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]{0,80}):-?([^}\\s\"'`]{1,256})\\}");
    /** {@code process.env.KEY || 'v'}, {@code process.env["KEY"] ?? "v"}. */
    private static final Pattern JS_ENV = Pattern.compile(
            "process\\.env(?:\\.|\\[[\"'])([A-Za-z_][A-Za-z0-9_]{0,80})[\"'\\]]{0,2}\\s*(?:\\|\\||\\?\\?)\\s*"
                    + "(?:\"([^\"\\r\\n]{1,256})\"|'([^'\\r\\n]{1,256})'|`([^`\\r\\n]{1,256})`)");
    /** {@code getenv("KEY", "v")}, {@code environ.get("KEY", "v")}, {@code getOrDefault("KEY", "v")}, {@code fetch("KEY", "v")}. */
    private static final Pattern CALL_ENV = Pattern.compile(
            "(?:getenv|environ\\.get|getOrDefault|getProperty|fetch|get)\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_.-]{0,80})[\"']\\s*,\\s*"
                    + "(?:\"([^\"\\r\\n]{1,256})\"|'([^'\\r\\n]{1,256})')\\s*\\)");
    /** Kubernetes / compose env lists: {@code - name: KEY} then {@code value: v} on the next line. */
    private static final Pattern NAME_VALUE = Pattern.compile(
            "name:[ \\t]*[\"']?([A-Za-z_][A-Za-z0-9_.-]{0,80})[\"']?[ \\t]*\\r?\\n[ \\t]*-?[ \\t]*value:[ \\t]*"
                    + "(?:\"([^\"\\r\\n]{1,256})\"|'([^'\\r\\n]{1,256})'|([^\\s\"'#][^\\r\\n#]{0,255}?))[ \\t]*(?:#[^\\r\\n]*)?(?:\\r?\\n|$)");

    /** {@code <add key="Password" value="v"/>}, {@code <property name="db.password" value="v"/>}. */
    private static final Pattern ATTR_PAIR =
            Pattern.compile("(?i)\\b(?:key|name)\\s*=\\s*[\"']([A-Za-z_][A-Za-z0-9_.:-]{0,80})[\"']\\s+value\\s*=\\s*"
                    + "(?:\"([^\"\\r\\n]{1,256})\"|'([^'\\r\\n]{1,256})')");

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
        Matcher m = ASSIGN.matcher(text);
        while (m.find()) {
            int g = valueGroup(m, 2);
            report(m.group(1), m, g, g < 5 || !code, code, out);
        }
        Matcher x = XML_ELEMENT.matcher(text);
        while (x.find()) {
            if (x.group(1).equals(x.group(3))) {
                report(localName(x.group(1)), x, 2, true, false, out);
            }
        }
        Matcher f = FALLBACK.matcher(text);
        while (f.find()) {
            report(f.group(1), f, 2, true, false, out);
        }
        Matcher j = JS_ENV.matcher(text);
        while (j.find()) {
            report(j.group(1), j, valueGroup(j, 2), true, false, out);
        }
        Matcher c = CALL_ENV.matcher(text);
        while (c.find()) {
            report(c.group(1), c, valueGroup(c, 2), true, false, out);
        }
        Matcher a = ATTR_PAIR.matcher(text);
        while (a.find()) {
            report(localName(a.group(1)), a, valueGroup(a, 2), true, false, out);
        }
        Matcher n = NAME_VALUE.matcher(text);
        while (n.find()) {
            report(n.group(1), n, valueGroup(n, 2), true, false, out);
        }
    }

    private static int valueGroup(Matcher m, int first) {
        for (int g = first; g <= m.groupCount(); g++) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return -1;
    }

    private static String localName(String tag) {
        int colon = tag.lastIndexOf(':');
        return colon >= 0 ? tag.substring(colon + 1) : tag;
    }

    private static void report(
            String key, Matcher m, int group, boolean literal, boolean code, Consumer<Candidate> out) {
        if (group < 0 || !isSecretKey(key)) {
            return;
        }
        String value = m.group(group);
        int start = m.start(group);
        int end = m.end(group);
        // trim whitespace the value alternatives allow inside (name/value pairs)
        while (end > start && Character.isWhitespace(value.charAt(end - start - 1))) {
            end--;
        }
        value = value.substring(0, end - start);
        Confidence c = judge(key, value, literal, code);
        if (c != null) {
            out.accept(new Candidate(m.start(), m.end(), start, end, c));
        }
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
