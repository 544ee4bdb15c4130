package dev.warden.bench.scan;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Secret values in the formats providers document, random per call, and decoys: values that look
 * alike but are not credentials (placeholders, references, ids, digests, public material).
 */
final class Secrets {
    static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final String HEX = "0123456789abcdef";
    static final String B64 = ALNUM + "+/";
    static final String URLSAFE = ALNUM + "_-";
    static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final String SYMBOLS = "!#%&*+-.=?@^_~";

    private final Random r;

    Secrets(Random r) {
        this.r = r;
    }

    String s(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    String hex(int n) {
        return s(HEX, n);
    }

    String digits(int n) {
        return s("0123456789", n);
    }

    /** A password of letters, digits and symbols (the kind people really use). */
    String password() {
        String p = s(ALNUM, 6 + r.nextInt(6));
        int at = r.nextInt(p.length());
        return p.substring(0, at) + s(SYMBOLS, 1 + r.nextInt(2)) + p.substring(at) + digits(2);
    }

    String awsKeyId() {
        return "AKIA" + s(BASE32, 16);
    }

    String awsSecret() {
        return s(B64, 40);
    }

    String github() {
        return "ghp_" + s(ALNUM, 36);
    }

    String gitlab() {
        return "glpat-" + s(URLSAFE, 20);
    }

    String slack() {
        return "xoxb-" + digits(12) + "-" + digits(13) + "-" + s(ALNUM, 24);
    }

    String stripe() {
        return "sk_live_" + s(ALNUM, 32);
    }

    String sendgrid() {
        return "SG." + s(URLSAFE, 22) + "." + s(URLSAFE, 43);
    }

    String npm() {
        return "npm_" + s(ALNUM, 36);
    }

    String openai() {
        return "sk-proj-" + s(URLSAFE, 40) + "T3BlbkFJ" + s(URLSAFE, 40);
    }

    String googleApiKey() {
        return "AIza" + s(URLSAFE, 35);
    }

    String slackWebhook() {
        return "https://hooks.slack.com/services/T" + s("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10) + "/B"
                + s("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10) + "/" + s(ALNUM, 24);
    }

    String jwt() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"https://auth.internal\",\"sub\":\"svc-" + s(HEX, 8)
                + "\",\"exp\":4102444800,\"jti\":\"" + s(HEX, 16) + "\"}";
        return e.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + s(URLSAFE, 86);
    }

    /** A fresh private key each time (EC P-256, fast to make), so every planted key is a distinct secret. */
    String pem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String uuid() {
        return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
    }

    String host() {
        return List.of("db", "pg", "orders-db", "cache", "mq").get(r.nextInt(5)) + "." + s("abcdefghij", 5)
                + ".internal";
    }

    String word() {
        return List.of(
                        "order",
                        "invoice",
                        "customer",
                        "payment",
                        "ledger",
                        "report",
                        "session",
                        "account",
                        "shipment",
                        "catalog")
                .get(r.nextInt(10));
    }

    String ident() {
        return word() + s("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) + word().substring(1);
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    int nextInt(int n) {
        return r.nextInt(n);
    }
}
