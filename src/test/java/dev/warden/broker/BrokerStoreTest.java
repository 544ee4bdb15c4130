package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.auth.Role;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's state in the store: replay across servers, key rotation, keys sealed at rest. */
class BrokerStoreTest {
    private static final String WORKLOAD = "system:serviceaccount:payments:deployer";
    private static TestIssuer k8s;

    @TempDir
    Path dir;

    @BeforeAll
    static void issuer() {
        k8s = new TestIssuer(BrokerHarness.K8S);
    }

    @AfterAll
    static void stop() {
        k8s.close();
    }

    @Test
    void a_subject_token_is_accepted_once_across_servers_sharing_postgresql() throws Exception {
        DbUrl db = TestStores.freshPostgres();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        // Servers sharing a store share the master key (here: the same key file).
        try (BrokerHarness one = new BrokerHarness(a, db, k8s)) {
            Files.copy(a.resolve("master.key"), b.resolve("master.key"));
            Files.setPosixFilePermissions(
                    b.resolve("master.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (BrokerHarness two = new BrokerHarness(b, db, k8s)) {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    for (int round = 0; round < 3; round++) {
                        String token = one.saToken(WORKLOAD);
                        List<Future<Integer>> results = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            BrokerHarness h = i % 2 == 0 ? one : two;
                            Callable<Integer> call = () -> h.post("/oauth2/token", BrokerHarness.form(token), null)
                                    .status();
                            results.add(pool.submit(call));
                        }
                        int ok = 0;
                        for (Future<Integer> f : results) {
                            ok += f.get() == 200 ? 1 : 0;
                        }
                        assertThat(ok).as("successes in round " + round).isEqualTo(1);
                    }
                } finally {
                    pool.shutdownNow();
                }
                // Both servers publish the same keys.
                assertThat(one.get("/.well-known/jwks.json").body())
                        .isEqualTo(two.get("/.well-known/jwks.json").body());
                assertThat(one.warden.audit().verify().intact()).isTrue();
            }
        }
    }

    @Test
    void signing_keys_rotate_with_overlap_and_old_tokens_stay_verifiable() throws Exception {
        try (BrokerHarness h =
                new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s, "signing: {rotation: 24h}")) {
            String auditor =
                    h.warden.tokens().create(Role.AUDITOR, null, null, "test").token();
            String first = h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                    .json()
                    .get("access_token")
                    .asText();
            String kid1 = SignedJWT.parse(first).getHeader().getKeyID();
            assertThat(JWKSet.parse(h.get("/.well-known/jwks.json").body()).getKeys())
                    .hasSize(1);

            h.clock.advance(Duration.ofHours(23).plusMinutes(10)); // within an hour of retirement: next key published
            h.warden.broker().tick();
            JWKSet published = JWKSet.parse(h.get("/.well-known/jwks.json").body());
            assertThat(published.getKeys()).hasSize(2);
            String stillOld = h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                    .json()
                    .get("access_token")
                    .asText();
            assertThat(SignedJWT.parse(stillOld).getHeader().getKeyID()).isEqualTo(kid1);

            h.clock.advance(Duration.ofMinutes(55)); // past retirement: the new key signs
            h.warden.broker().tick();
            String next = h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                    .json()
                    .get("access_token")
                    .asText();
            String kid2 = SignedJWT.parse(next).getHeader().getKeyID();
            assertThat(kid2).isNotEqualTo(kid1);
            Set<String> kids = new HashSet<>();
            JWKSet.parse(h.get("/.well-known/jwks.json").body()).getKeys().forEach(k -> kids.add(k.getKeyID()));
            assertThat(kids).contains(kid1, kid2);
            assertThat(h.post("/oauth2/introspect", Map.of("token", next), auditor)
                            .json()
                            .get("active")
                            .asBoolean())
                    .isTrue();

            h.clock.advance(Duration.ofHours(1).plusMinutes(10)); // old key's tokens all expired: it leaves the JWKS
            h.warden.broker().tick();
            kids.clear();
            JWKSet.parse(h.get("/.well-known/jwks.json").body()).getKeys().forEach(k -> kids.add(k.getKeyID()));
            assertThat(kids).doesNotContain(kid1).contains(kid2);
        }
    }

    @Test
    void private_signing_keys_are_sealed_at_rest() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s)) {
            try (Connection c = TestStores.connect(h.warden.db().url());
                    ResultSet rs =
                            c.createStatement().executeQuery("SELECT public_jwk, private_key FROM signing_keys")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("public_jwk")).doesNotContain("\"d\"");
                assertThat(rs.getString("private_key"))
                        .startsWith("wsb1.")
                        .doesNotContain("\"d\"")
                        .doesNotContain("kty");
            }
        }
    }
}
