package dev.warden.scan;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of secrets: lower-case hex HMAC-SHA256 of the secret's bytes. Without the key
 * a fingerprint cannot be tested against guessed secrets, so fingerprints may be stored and shown
 * where secrets may not. The key comes from {@code WARDEN_SCAN_KEY}, from the store, or is made for
 * one run ({@link #ephemeral()}: fingerprints then only compare within that run).
 */
public final class Fingerprinter {
    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY = 16;

    private final SecretKeySpec key;
    private final String origin;

    public Fingerprinter(byte[] key, String origin) {
        if (key == null || key.length < MIN_KEY) {
            throw new IllegalArgumentException("fingerprint key must be at least " + MIN_KEY + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.origin = origin;
    }

    /** Names the key of scans without a store, so their fingerprints stay the same from run to run. */
    public static final String KEY_ENV = "WARDEN_SCAN_KEY";

    /** The key {@value #KEY_ENV} holds (at least {@value #MIN_KEY} bytes), else a random key for one run. */
    public static Fingerprinter fromEnvironment() {
        String key = System.getenv(KEY_ENV);
        if (key == null || key.isEmpty()) {
            return ephemeral();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY) {
            throw new IllegalArgumentException(KEY_ENV + " must be at least " + MIN_KEY + " bytes");
        }
        return new Fingerprinter(bytes, "env");
    }

    /** A random key for one run. */
    public static Fingerprinter ephemeral() {
        return new Fingerprinter(randomKey(), "ephemeral");
    }

    public static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** Where the key came from: env, store or ephemeral. */
    public String origin() {
        return origin;
    }

    public String fingerprint(byte[] secret) {
        return HexFormat.of().formatHex(macs.get().doFinal(secret));
    }

    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Fingerprinter[" + origin + "]";
    }
}
