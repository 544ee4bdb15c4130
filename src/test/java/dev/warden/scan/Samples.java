package dev.warden.scan;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Secret-shaped test values made at run time from the providers' documented formats (so the
 * repository holds no secret-looking literals), deterministic per seed.
 */
final class Samples {
    static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final String HEX = "0123456789abcdef";
    static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String B64 = ALNUM + "+/";
    static final String URLSAFE = ALNUM + "_-";
    static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final String BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

    private Samples() {}

    static String random(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String awsKeyId(long seed) {
        return "AKIA" + random(BASE32, 16, seed);
    }

    static String wardenToken(long seed) {
        String body = random(ALNUM, 43, seed);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] check = new char[6];
        for (int i = 5; i >= 0; i--) {
            check[i] = ALNUM.charAt((int) (v % 62));
            v /= 62;
        }
        return "wdn_" + body + new String(check);
    }

    static String jwt(String claimsJson) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "." + random(URLSAFE, 86, 7);
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
