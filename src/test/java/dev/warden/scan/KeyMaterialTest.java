package dev.warden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Public halves derived from leaked private keys match what certificates and SSH keys carry. */
class KeyMaterialTest {
    @Test
    void pkcs8_rsa_and_ec_keys_give_the_spki_hash_of_their_public_key() {
        for (KeyPair kp : new KeyPair[] {Samples.rsa(), Samples.ec()}) {
            String pem = Samples.pem("PRIVATE KEY", kp.getPrivate().getEncoded());
            assertThat(KeyMaterial.linkKeyDeriving(pem))
                    .contains(new LinkKey(LinkKey.Type.PUBLIC_KEY_SHA256, KeyMaterial.spkiSha256(kp.getPublic())));
        }
    }

    @Test
    void pkcs1_rsa_and_sec1_ec_keys_give_the_same_hash() {
        KeyPair rsa = Samples.rsa();
        byte[] pkcs1 = innerKey(rsa.getPrivate().getEncoded());
        assertThat(KeyMaterial.linkKey(Samples.pem("RSA PRIVATE KEY", pkcs1)))
                .contains(new LinkKey(LinkKey.Type.PUBLIC_KEY_SHA256, KeyMaterial.spkiSha256(rsa.getPublic())));
        KeyPair ec = Samples.ec();
        // SEC1 as OpenSSL writes it: version, d, [0] curve (P-256), no public point (recomputed)
        KeyMaterial.Der inner = KeyMaterial.Der.read(innerKey(ec.getPrivate().getEncoded()), 0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(inner.child(0).encoded());
        body.writeBytes(inner.child(1).encoded());
        ByteArrayOutputStream oid = new ByteArrayOutputStream();
        KeyMaterial.Der.write(oid, 0x06, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07});
        KeyMaterial.Der.write(body, 0xa0, oid.toByteArray());
        ByteArrayOutputStream sec1 = new ByteArrayOutputStream();
        KeyMaterial.Der.write(sec1, 0x30, body.toByteArray());
        assertThat(KeyMaterial.linkKey(Samples.pem("EC PRIVATE KEY", sec1.toByteArray())))
                .isEmpty();
        assertThat(KeyMaterial.linkKeyDeriving(Samples.pem("EC PRIVATE KEY", sec1.toByteArray())))
                .contains(new LinkKey(LinkKey.Type.PUBLIC_KEY_SHA256, KeyMaterial.spkiSha256(ec.getPublic())));
    }

    @Test
    void an_openssh_key_gives_the_ssh_keygen_fingerprint_of_its_public_blob() throws Exception {
        byte[] publicBlob = sshString("ssh-ed25519", new byte[32]);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(sshString("none"));
        b.writeBytes(sshString("none"));
        b.writeBytes(sshString(""));
        b.writeBytes(new byte[] {0, 0, 0, 1});
        b.writeBytes(u32(publicBlob.length));
        b.writeBytes(publicBlob);
        b.writeBytes(sshString("private part, not read"));
        String pem = Samples.pem("OPENSSH PRIVATE KEY", b.toByteArray());
        String expected = "SHA256:"
                + Base64.getEncoder()
                        .withoutPadding()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(publicBlob));
        assertThat(KeyMaterial.linkKey(pem)).contains(new LinkKey(LinkKey.Type.SSH_KEY_FINGERPRINT, expected));
    }

    @Test
    void garbage_encrypted_and_truncated_keys_give_no_link_and_no_exception() {
        assertThat(KeyMaterial.linkKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isEmpty();
        assertThat(KeyMaterial.linkKey(
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----"))
                .isEmpty();
        byte[] der = Samples.rsa().getPrivate().getEncoded();
        assertThat(KeyMaterial.linkKey(Samples.pem("PRIVATE KEY", Arrays.copyOf(der, der.length / 2))))
                .isEmpty();
        assertThat(KeyMaterial.linkKey(Samples.pem("OPENSSH PRIVATE KEY", new byte[40])))
                .isEmpty();
    }

    /** The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 for EC. */
    private static byte[] innerKey(byte[] pkcs8) {
        KeyMaterial.Der info = KeyMaterial.Der.read(pkcs8, 0);
        return info.child(2).contents();
    }

    private static byte[] sshString(String s) {
        return sshString(s, null);
    }

    private static byte[] sshString(String s, byte[] extra) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u32(v.length));
        b.writeBytes(v);
        if (extra != null) {
            b.writeBytes(u32(extra.length));
            b.writeBytes(extra);
        }
        return b.toByteArray();
    }

    private static byte[] u32(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
