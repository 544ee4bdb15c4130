package dev.warden.scan;

import com.google.re2j.Pattern;
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
        AssignmentLexer.Sink sink = (key, matchStart, valueStart, valueEnd, literal) ->
                report(text, code, key, matchStart, valueStart, valueEnd, literal, out);
        String pendingName = null;
        int ls = 0;
        while (ls <= text.length()) {
            int le = text.indexOf('\n', ls);
            if (le < 0) {
                le = text.length();
            }
            pendingName = AssignmentLexer.scan(text, ls, le, code, pendingName, sink);
            ls = le + 1;
        }
    }

    /** A candidate when the key names a credential and the value (trailing space trimmed) looks like one. */
    private static void report(
            String t,
            boolean code,
            String key,
            int matchStart,
            int valueStart,
            int valueEnd,
            boolean literal,
            Consumer<Candidate> out) {
        if (!SecretKeyWords.isSecretKey(key)) {
            return;
        }
        int vs = valueStart;
        int ve = valueEnd;
        while (ve > vs && Character.isWhitespace(t.charAt(ve - 1))) {
            ve--;
        }
        Confidence c = judge(key, t.substring(vs, ve), literal, code);
        if (c != null) {
            out.accept(new Candidate(Math.min(matchStart, vs), Math.max(ve, valueEnd), vs, ve, c));
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
                        && v.toLowerCase(Locale.ROOT).contains(SecretKeyWords.lastWord(key)))) {
            return null; // password: my_password, token: TOKEN
        }
        int classes = Secrets.classes(v);
        boolean digitsOnly = v.chars().allMatch(Character::isDigit);
        if (digitsOnly) {
            return null;
        }
        double entropy = Secrets.entropy(v);
        if (SecretKeyWords.isPasswordKey(key)) {
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
}
