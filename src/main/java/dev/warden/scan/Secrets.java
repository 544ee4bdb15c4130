package dev.warden.scan;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Facts about candidate secret values: entropy, example and placeholder values, redaction. */
public final class Secrets {
    private static final Set<String> PLACEHOLDER_WORDS = Set.of(
            "example",
            "changeme",
            "change_me",
            "change-me",
            "changeit",
            "placeholder",
            "redacted",
            "dummy",
            "sample",
            "notasecret",
            "not-a-secret",
            "not_a_secret",
            "fake",
            "your_",
            "your-",
            "yourpassword",
            "yoursecret",
            "yourtoken",
            "insert",
            "replace",
            "todo",
            "fixme",
            "xxxx",
            "****",
            "....",
            "<your",
            "lorem");

    private static final Set<String> NON_VALUES = Set.of(
            "password",
            "passwd",
            "pass",
            "pwd",
            "secret",
            "token",
            "apikey",
            "api_key",
            "key",
            "none",
            "null",
            "nil",
            "undefined",
            "true",
            "false",
            "yes",
            "no",
            "required",
            "optional",
            "string",
            "str",
            "test",
            "testing",
            "admin",
            "root",
            "user",
            "username",
            "default",
            "empty",
            "secret123",
            "password123",
            "pass123",
            "1234",
            "12345",
            "123456",
            "12345678",
            "123456789",
            "qwerty",
            "letmein",
            "mysecret",
            "mypassword",
            "supersecret",
            "s3cr3t",
            "hunter2");

    private Secrets() {}

    /** Shannon entropy in bits per character. */
    public static double entropy(CharSequence s) {
        if (s.length() == 0) {
            return 0;
        }
        int[] counts = new int[128];
        Map<Character, Integer> wide = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                if (wide == null) {
                    wide = new HashMap<>();
                }
                wide.merge(c, 1, Integer::sum);
            }
        }
        double n = s.length();
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        if (wide != null) {
            for (int c : wide.values()) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }

    /**
     * True for documentation and test values: contains "example", "changeme", "xxxx", ..., a run of
     * eight identical characters, or an obvious alphabet or hex-digit sequence.
     */
    public static boolean isExample(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (String w : PLACEHOLDER_WORDS) {
            if (lower.contains(w)) {
                return true;
            }
        }
        int run = 1;
        for (int i = 1; i < value.length(); i++) {
            run = value.charAt(i) == value.charAt(i - 1) ? run + 1 : 1;
            if (run >= 8) {
                return true;
            }
        }
        return lower.contains("abcdefghij") || lower.contains("0123456789abcdef");
    }

    /** True for values that are words standing for a secret rather than a secret ("password", "none", ...). */
    public static boolean isNonValue(String value) {
        return NON_VALUES.contains(value.toLowerCase(Locale.ROOT));
    }

    /**
     * A preview that never shows the secret: the first few characters (at most a quarter, at most 4,
     * none for short secrets) and asterisks.
     */
    public static String redact(String secret) {
        int show = secret.length() >= 16 ? 4 : secret.length() >= 8 ? 2 : 0;
        StringBuilder b = new StringBuilder(show + 8);
        for (int i = 0; i < show; i++) {
            char c = secret.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append("*****").toString();
    }

    /** Counts of character classes: lower, upper, digit, other. */
    static int classes(String v) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }
}
