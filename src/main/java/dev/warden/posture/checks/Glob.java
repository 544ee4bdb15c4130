package dev.warden.posture.checks;

/** IAM-style wildcard matching: {@code *} any run of characters, {@code ?} one; case-insensitive. */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String value) {
        String p = pattern.toLowerCase(java.util.Locale.ROOT);
        String v = value.toLowerCase(java.util.Locale.ROOT);
        int pi = 0;
        int vi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }
}
