package dev.warden.keys;

import dev.warden.store.Database;
import dev.warden.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret material Warden must keep (signing keys now, CA keys and managed passwords
 * later) with AES-256-GCM envelope encryption: each secret gets a fresh data key, the data key is
 * wrapped by the key-encryption key (KEK), and both ciphertexts are bound to a caller-chosen
 * context string (the row they belong to) so a sealed value cannot be moved to another row.
 *
 * <p>The KEK comes from {@code WARDEN_MASTER_KEY} (32 bytes, base64 or hex) or, when that is
 * unset, from {@code master.key} in the data directory, created with mode 0600 on first start.
 * The store remembers the KEK's id, so starting with a different key fails at once instead of
 * failing later on every decrypt. Servers sharing one PostgreSQL must share WARDEN_MASTER_KEY.
 *
 * <p>The same box derives the key of {@link #fingerprint}: a keyed hash (HMAC-SHA-256) for
 * secrets that must be recognisable but never stored, such as subject tokens.
 */
public final class SecretBox {
    public static final String ENV = "WARDEN_MASTER_KEY";
    public static final String KEY_FILE = "master.key";
    private static final String FORMAT = "wsb1";
    private static final String KEK_ID_SETTING = "secretbox.kek_id";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec kek;
    private final String kekId;
    private final byte[] fingerprintKey;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs;

    SecretBox(byte[] kekBytes) {
        if (kekBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be 32 bytes (256 bits)");
        }
        this.kek = new SecretKeySpec(kekBytes.clone(), "AES");
        this.kekId = HexFormat.of().formatHex(Arrays.copyOf(hmac(kekBytes, "warden kek id v1"), 8));
        this.fingerprintKey = hmac(kekBytes, "warden fingerprint key v1");
        this.macs = ThreadLocal.withInitial(() -> newMac(fingerprintKey));
    }

    /** A box with an explicit key (tests, tools). */
    public static SecretBox of(byte[] kek) {
        return new SecretBox(kek);
    }

    /**
     * Loads the KEK from {@code WARDEN_MASTER_KEY} or the key file in {@code dataDir} (creating
     * it on first start) and checks it against the id the store remembers.
     */
    public static SecretBox open(Database db, Path dataDir) {
        SecretBox box = new SecretBox(loadKey(System.getenv(ENV), dataDir));
        box.checkAgainst(db);
        return box;
    }

    static byte[] loadKey(String env, Path dataDir) {
        if (env != null && !env.isBlank()) {
            return parseKey(env.strip(), ENV);
        }
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new StoreException(
                            "master key file " + file + " is readable by group or others;" + " run: chmod 600 " + file);
                }
                return parseKey(
                        Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            Files.createDirectories(dataDir);
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.writeString(
                    file,
                    Base64.getEncoder().encodeToString(key) + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return key;
        } catch (FileAlreadyExistsException e) {
            return loadKey(null, dataDir); // another process created it first
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException("cannot read or create master key file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] parseKey(String text, String where) {
        byte[] key = null;
        if (text.matches("[0-9a-fA-F]{64}")) {
            key = HexFormat.of().parseHex(text);
        } else {
            try {
                key = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                try {
                    key = Base64.getUrlDecoder().decode(text);
                } catch (IllegalArgumentException e2) {
                    key = null;
                }
            }
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new StoreException(where + " must hold a 256-bit key as 64 hex digits or base64 of 32 bytes"
                    + " (generate one with: openssl rand -base64 32)");
        }
        return key;
    }

    private void checkAgainst(Database db) {
        db.inTransaction(h -> {
            db.lock(h, KEK_ID_SETTING);
            String stored = h.createQuery("SELECT value FROM settings WHERE name = :n")
                    .bind("n", KEK_ID_SETTING)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null);
            if (stored == null) {
                h.createUpdate("INSERT INTO settings (name, value) VALUES (:n, :v)")
                        .bind("n", KEK_ID_SETTING)
                        .bind("v", kekId)
                        .execute();
            } else if (!stored.equals(kekId)) {
                throw new StoreException("the master key (id " + kekId + ") is not the one this store was sealed with"
                        + " (id " + stored + "); set " + ENV + " to the original key (servers sharing one"
                        + " store must share it)");
            }
            return null;
        });
    }

    /** A short public id of the KEK (not secret), stored beside sealed values. */
    public String kekId() {
        return kekId;
    }

    /** Encrypts {@code plaintext}, bound to {@code context} (e.g. "signing_key:KID"). */
    public String seal(byte[] plaintext, String context) {
        byte[] dek = new byte[KEY_BYTES];
        random.nextBytes(dek);
        try {
            byte[] aad = aad(context);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek, aad, dek, null);
            byte[] sealed = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dek, "AES"), aad, plaintext, null);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return FORMAT + "." + kekId + "." + b64.encodeToString(wrapped) + "." + b64.encodeToString(sealed);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    /** Decrypts a value made by {@link #seal} with the same context. */
    public byte[] open(String sealed, String context) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(FORMAT)) {
            throw new StoreException("sealed secret for " + context + " is malformed");
        }
        if (!parts[1].equals(kekId)) {
            throw new StoreException("sealed secret for " + context + " was sealed with master key " + parts[1]
                    + ", not the current key " + kekId);
        }
        byte[] dek = null;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] aad = aad(context);
            dek = gcm(Cipher.DECRYPT_MODE, kek, aad, null, b64.decode(parts[2]));
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dek, "AES"), aad, null, b64.decode(parts[3]));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StoreException("sealed secret for " + context + " cannot be decrypted (altered or moved)", e);
        } finally {
            if (dek != null) {
                Arrays.fill(dek, (byte) 0);
            }
        }
    }

    /**
     * A keyed fingerprint of a secret: {@code hmac-sha256:} and 43 base64url characters. Equal
     * secrets give equal fingerprints under one master key; without the key a fingerprint reveals
     * nothing and cannot be brute-forced offline.
     */
    public String fingerprint(String secret) {
        return fingerprint(secret.getBytes(StandardCharsets.UTF_8));
    }

    public String fingerprint(byte[] secret) {
        Mac mac = macs.get();
        return "hmac-sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(secret));
    }

    private byte[] gcm(int mode, SecretKeySpec key, byte[] aad, byte[] plaintext, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] nonce = new byte[NONCE_BYTES];
                random.nextBytes(nonce);
                c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
                c.updateAAD(aad);
                byte[] ct = c.doFinal(plaintext);
                return ByteBuffer.allocate(NONCE_BYTES + ct.length)
                        .put(nonce)
                        .put(ct)
                        .array();
            }
            if (input.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("ciphertext too short");
            }
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, input, 0, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(input, NONCE_BYTES, input.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] aad(String context) {
        return ("warden-secretbox-v1:" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String label) {
        return newMac(key).doFinal(label.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Constant-time comparison of two fingerprints. */
    public static boolean sameFingerprint(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
