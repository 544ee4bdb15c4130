package dev.warden.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import dev.warden.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envelope encryption at rest and keyed fingerprints. */
class SecretBoxTest {
    @TempDir
    Path dir;

    private static final byte[] KEY = new byte[32];

    @Test
    void sealed_secrets_open_only_in_their_own_context() {
        SecretBox box = SecretBox.of(KEY);
        String sealed = box.seal("private key".getBytes(StandardCharsets.UTF_8), "signing_key:a");
        assertThat(sealed).startsWith("wsb1.").doesNotContain("private");
        assertThat(new String(box.open(sealed, "signing_key:a"), StandardCharsets.UTF_8))
                .isEqualTo("private key");
        assertThatThrownBy(() -> box.open(sealed, "signing_key:b"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("altered or moved");
        assertThat(box.seal(new byte[] {1}, "x")).isNotEqualTo(box.seal(new byte[] {1}, "x"));
    }

    @Test
    void tampered_ciphertext_is_detected() {
        SecretBox box = SecretBox.of(KEY);
        String sealed = box.seal("secret".getBytes(StandardCharsets.UTF_8), "c");
        String[] p = sealed.split("\\.");
        byte[] ct = Base64.getUrlDecoder().decode(p[3]);
        ct[ct.length - 1] ^= 1;
        String bad = p[0] + "." + p[1] + "." + p[2] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(ct);
        assertThatThrownBy(() -> box.open(bad, "c")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> box.open("garbage", "c")).hasMessageContaining("malformed");
    }

    @Test
    void a_different_master_key_cannot_open_and_is_named() {
        String sealed = SecretBox.of(KEY).seal(new byte[] {1, 2}, "c");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> SecretBox.of(other).open(sealed, "c"))
                .hasMessageContaining("was sealed with master key");
    }

    @Test
    void fingerprints_are_keyed_and_stable() {
        SecretBox a = SecretBox.of(KEY);
        byte[] k2 = new byte[32];
        k2[5] = 9;
        assertThat(a.fingerprint("token"))
                .isEqualTo(a.fingerprint("token"))
                .startsWith("hmac-sha256:")
                .hasSize(55);
        assertThat(a.fingerprint("token")).isNotEqualTo(SecretBox.of(k2).fingerprint("token"));
        assertThat(a.fingerprint("token")).doesNotContain("token");
    }

    @Test
    void first_start_creates_a_0600_key_file_and_later_starts_reuse_it() throws Exception {
        byte[] first = SecretBox.loadKey(null, dir);
        Path file = dir.resolve(SecretBox.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(SecretBox.loadKey(null, dir)).isEqualTo(first);
        assertThat(SecretBox.loadKey(Base64.getEncoder().encodeToString(KEY), dir))
                .isEqualTo(KEY);
    }

    @Test
    void a_key_file_readable_by_others_is_refused() throws Exception {
        SecretBox.loadKey(null, dir);
        Files.setPosixFilePermissions(dir.resolve(SecretBox.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretBox.loadKey(null, dir)).hasMessageContaining("chmod 600");
    }

    @Test
    void malformed_master_keys_are_refused_with_a_hint() {
        assertThatThrownBy(() -> SecretBox.loadKey("too-short", dir))
                .hasMessageContaining("WARDEN_MASTER_KEY")
                .hasMessageContaining("openssl rand -base64 32");
        assertThat(SecretBox.parseKey("00".repeat(32), "k")).hasSize(32);
    }

    @Test
    void a_store_remembers_its_master_key_and_refuses_another() throws Exception {
        try (Database db = Database.open(DbUrl.sqlite(dir.resolve("w.db")))) {
            SecretBox.open(db, dir);
            SecretBox.open(db, dir);
            Files.delete(dir.resolve(SecretBox.KEY_FILE));
            assertThatThrownBy(() -> SecretBox.open(db, dir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is not the one this store was sealed with");
        }
    }
}
