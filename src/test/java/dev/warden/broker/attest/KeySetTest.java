package dev.warden.broker.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.warden.broker.attest.oidc.OidcAttestor;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestConfig;
import dev.warden.testing.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which published keys may verify subject tokens: RFC 7517 §4.2 {@code use} and §4.3
 * {@code key_ops}, which must carry {@code verify} and agree with {@code use}.
 */
class KeySetTest {
    private static final String ISS = "https://issuer.example";

    @TempDir
    Path dir;

    private final TestIssuer issuer = new TestIssuer(ISS);

    private static Set<KeyOperation> ops(KeyOperation... ops) {
        return new LinkedHashSet<>(List.of(ops));
    }

    private static KeySet keys(JWK key, String use) {
        return KeySet.of(new JWKSet(key), use);
    }

    @Test
    void a_key_whose_key_ops_lack_verify_is_not_used() {
        RSAKey encrypting = new RSAKey.Builder(issuer.rsa.toPublicJWK())
                .keyID("rsa-1")
                .keyOperations(ops(KeyOperation.ENCRYPT))
                .build();
        assertThat(keys(encrypting, null).size()).isZero();
        assertThat(keys(encrypting, null).verifier("rsa-1", JWSAlgorithm.RS256)).isNull();
        ECKey wrapping = new ECKey.Builder(issuer.ec.toPublicJWK())
                .keyOperations(ops(KeyOperation.WRAP_KEY, KeyOperation.DERIVE_KEY))
                .build();
        assertThat(keys(wrapping, null).size()).isZero();
        ECKey none =
                new ECKey.Builder(issuer.ec.toPublicJWK()).keyOperations(ops()).build();
        assertThat(keys(none, null).size()).isZero();
    }

    @Test
    void a_key_for_verification_and_for_something_else_is_not_used() {
        RSAKey both = new RSAKey.Builder(issuer.rsa.toPublicJWK())
                .keyID("rsa-1")
                .keyOperations(ops(KeyOperation.VERIFY, KeyOperation.ENCRYPT))
                .build();
        assertThat(keys(both, null).size()).isZero();
    }

    @Test
    void a_key_whose_use_and_key_ops_disagree_is_not_used() {
        // nimbus refuses use "sig" with key_ops "encrypt" itself; a SPIFFE bundle's use is not one it knows
        ECKey svidEncrypt = new ECKey.Builder(issuer.ec.toPublicJWK())
                .keyUse(new KeyUse("jwt-svid"))
                .keyOperations(ops(KeyOperation.ENCRYPT))
                .build();
        assertThat(keys(svidEncrypt, "jwt-svid").size()).isZero();
        RSAKey encUse = new RSAKey.Builder(issuer.rsa.toPublicJWK())
                .keyUse(KeyUse.ENCRYPTION)
                .build();
        assertThat(keys(encUse, null).size()).isZero();
    }

    @Test
    void verification_keys_with_or_without_use_and_key_ops_are_used() {
        RSAKey plain = issuer.rsa.toPublicJWK();
        RSAKey sig = new RSAKey.Builder(plain).keyUse(KeyUse.SIGNATURE).build();
        RSAKey verify = new RSAKey.Builder(plain)
                .keyOperations(ops(KeyOperation.VERIFY))
                .build();
        RSAKey signVerify = new RSAKey.Builder(plain)
                .keyUse(KeyUse.SIGNATURE)
                .keyOperations(ops(KeyOperation.SIGN, KeyOperation.VERIFY))
                .build();
        ECKey svid = new ECKey.Builder(issuer.ec.toPublicJWK())
                .keyUse(new KeyUse("jwt-svid"))
                .keyOperations(ops(KeyOperation.VERIFY))
                .build();
        for (RSAKey k : List.of(plain, sig, verify, signVerify)) {
            assertThat(keys(k, null).verifier("rsa-1", JWSAlgorithm.RS256))
                    .as(k.toJSONString())
                    .isNotNull();
        }
        assertThat(keys(svid, "jwt-svid").verifier("ec-1", JWSAlgorithm.ES256)).isNotNull();
    }

    @Test
    void a_token_signed_by_a_published_encryption_key_is_refused_by_the_attestor() throws Exception {
        RSAKey encrypting = new RSAKey.Builder(issuer.rsa.toPublicJWK())
                .keyID("rsa-1")
                .keyOperations(ops(KeyOperation.ENCRYPT))
                .build();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(encrypting).toString());
        TestClock clock = new TestClock(Fixtures.T0);
        OidcAttestor attestor = OidcAttestor.fromConfig(
                "enc",
                TestConfig.node(
                        "broker.attestors[0]",
                        "{issuer: '" + ISS + "', audiences: [warden], jwksFile: '" + jwks + "'}"),
                clock);
        String token = issuer.rs256(issuer.claims("workload", "warden", Fixtures.T0));
        Proof proof = new Proof.Jwt(JwtParts.parse(token));
        assertThatThrownBy(() -> attestor.attest(proof))
                .isInstanceOf(AttestationException.class)
                .satisfies(e -> assertThat(((AttestationException) e).code()).isEqualTo("unknown_key"));
    }
}
