package dev.warden.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a key's name says about its value: the word tables of {@link AssignmentRule}. A key holds a
 * credential when its last word (before a suffix such as {@code _b64}) is a credential noun, or
 * {@code key} after a qualifier such as {@code api} or {@code signing}, and none of its words names
 * a non-credential (cache keys, idempotency keys, digests, public keys, ids, UI labels).
 */
final class SecretKeyWords {
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

    private SecretKeyWords() {}

    /** The last word of {@code key}, lower-case (the whole key when it has no words). */
    static String lastWord(String key) {
        List<String> w = words(key);
        return w.isEmpty() ? key.toLowerCase(Locale.ROOT) : w.get(w.size() - 1);
    }

    /** True when a word of the key names a password. */
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
