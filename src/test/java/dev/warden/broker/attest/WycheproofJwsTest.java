package dev.warden.broker.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof JWS vector (src/test/resources/broker/wycheproof, Apache-2.0) through the
 * attestor's verification: the strict compact-JWS parse and the header, key and signature checks
 * of {@link JwtRules} with every algorithm an attestor may allow. The vectors sign payloads that
 * are not JWT claims ({@code foo}), so the claim checks, which they would all fail, are not run.
 */
class WycheproofJwsTest {
    private static final String RESOURCE = "/broker/wycheproof/json_web_signature_test.json";
    private static final Path SHARED =
            Path.of("..", "shared", "standards", "wycheproof", "json_web_signature_test.json");

    private static final JwtRules RULES =
            new JwtRules(null, Set.of("any"), JwtRules.SUPPORTED, Duration.ZERO, Duration.ofHours(1));

    private static JsonNode vectors() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in = WycheproofJwsTest.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                return mapper.readTree(in);
            }
        }
        return mapper.readTree(Files.readAllBytes(SHARED));
    }

    /** Whether Warden accepts {@code jws} as signed by {@code keys}; any other exception fails the test. */
    private static boolean accepted(String jws, KeySet keys) {
        try {
            RULES.verifySignature(JwtParts.parseJws(jws), keys, () -> keys);
            return true;
        } catch (AttestationException refused) {
            return false;
        }
    }

    private static String jws(JsonNode test) {
        JsonNode j = test.get("jws");
        return j.isTextual() ? j.asText() : j.toString();
    }

    @Test
    void no_invalid_vector_is_accepted_and_every_valid_one_is_unless_its_key_names_another_algorithm()
            throws Exception {
        JsonNode doc = vectors();
        int run = 0;
        int validAccepted = 0;
        int invalidRejected = 0;
        List<String> wrong = new ArrayList<>();
        Set<Integer> refusedForKeyAlg = new TreeSet<>();
        Set<Integer> skipped = new TreeSet<>();
        Set<String> skippedAlgs = new TreeSet<>();
        for (JsonNode group : doc.get("testGroups")) {
            JsonNode pub = group.get("public");
            if (pub == null) {
                // a symmetric (oct) key: HMAC, which no attestor accepts. Counted as skipped, and
                // still nothing may be accepted with the private key offered as the key set.
                KeySet offered =
                        KeySet.of(new JWKSet(JWK.parse(group.get("private").toString())), null);
                assertThat(offered.size()).isZero();
                for (JsonNode t : group.get("tests")) {
                    skipped.add(t.get("tcId").asInt());
                    skippedAlgs.add(group.get("private").path("alg").asText("oct"));
                    assertThat(accepted(jws(t), offered))
                            .as("tcId %s", t.get("tcId"))
                            .isFalse();
                }
                continue;
            }
            JWK key = JWK.parse(pub.toString());
            KeySet keys = KeySet.of(new JWKSet(key), null);
            for (JsonNode t : group.get("tests")) {
                run++;
                int id = t.get("tcId").asInt();
                String jws = jws(t);
                boolean valid = t.get("result").asText().equals("valid");
                boolean ok = accepted(jws, keys);
                if (valid && !ok && keyNamesAnotherAlgorithm(key, jws)) {
                    refusedForKeyAlg.add(id);
                } else if (valid != ok) {
                    wrong.add(id + " " + t.get("comment").asText() + ": expected "
                            + t.get("result").asText() + ", Warden " + (ok ? "accepted" : "rejected"));
                } else if (valid) {
                    validAccepted++;
                } else {
                    invalidRejected++;
                }
            }
        }
        System.out.printf(
                "wycheproof jws: %d vectors run, %d valid accepted, %d invalid rejected, %d valid refused"
                        + " because the key's alg names another algorithm %s, %d skipped (%s)%n",
                run,
                validAccepted,
                invalidRejected,
                refusedForKeyAlg.size(),
                refusedForKeyAlg,
                skipped.size(),
                skippedAlgs);
        assertThat(wrong).isEmpty();
        // RFC 7520's keys as Wycheproof publishes them: alg PS256 used for PS384, "ES521" for ES512.
        // A key is used only for the algorithm it names (RFC 7517 §4.4, RFC 8725 §3.1).
        assertThat(refusedForKeyAlg).containsExactly(346, 347, 350, 351);
        assertThat(run).isEqualTo(361);
        assertThat(invalidRejected).isEqualTo(325);
        assertThat(validAccepted).isEqualTo(36 - 4);
        assertThat(skipped).hasSize(40);
        assertThat(skippedAlgs).containsExactly("HS256");
    }

    @Test
    void the_encryption_key_vectors_are_refused_for_their_use_and_key_ops() throws Exception {
        JsonNode doc = vectors();
        Set<Integer> seen = new TreeSet<>();
        for (JsonNode group : doc.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                int id = t.get("tcId").asInt();
                if (id >= 353 && id <= 356) {
                    KeySet keys =
                            KeySet.of(new JWKSet(JWK.parse(group.get("public").toString())), null);
                    assertThat(keys.size()).as("tcId %d", id).isZero();
                    assertThat(accepted(jws(t), keys)).as("tcId %d", id).isFalse();
                    seen.add(id);
                }
            }
        }
        assertThat(seen).containsExactly(353, 354, 355, 356);
    }

    private static boolean keyNamesAnotherAlgorithm(JWK key, String jws) throws AttestationException {
        JWSAlgorithm alg = JwtParts.parseJws(jws).header().getAlgorithm();
        return key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName());
    }
}
