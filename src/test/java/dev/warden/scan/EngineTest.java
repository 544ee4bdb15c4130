package dev.warden.scan;

import static dev.warden.scan.Samples.ALNUM;
import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Precision where other scanners fail, and the engine's own guarantees. */
class EngineTest {
    private final Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());

    private List<Hit> scan(String path, String text) {
        return engine.scan(path, text.getBytes(StandardCharsets.UTF_8), null, null)
                .hits();
    }

    private String onlySecret(String path, String text) {
        List<Hit> hits = scan(path, text);
        assertThat(hits).as("one hit in %s", text).hasSize(1);
        return hits.get(0).secret();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '§', quoteCharacter = '~', textBlock = """
            src/A.java       § @Value("${db.password:S3cr3tP@ss}") String p;                 § S3cr3tP@ss
            conf/app.xml     § <password>S3cr3t!Pass9</password>                               § S3cr3t!Pass9
            conf/ds.xml      § <datasource user="app" password="S3cr3t!Pass9"/>                 § S3cr3t!Pass9
            conf/web.config  § <add key="DbPassword" value="S3cr3t!Pass9" />                    § S3cr3t!Pass9
            src/db.py        § pw = os.getenv("DB_PASSWORD", "S3cr3t!Pass9")                    § S3cr3t!Pass9
            src/db.js        § const t = process.env.API_TOKEN || 'tok9f8e7d6c5b4a3210ZQ';      § tok9f8e7d6c5b4a3210ZQ
            .env             § DB_PASS=p@$$w0rd!#%^&*                                           § p@$$w0rd!#%^&*
            src/settings.py  § pwd = "Xk9#mP2$vL7qR!"                                           § Xk9#mP2$vL7qR!
            app.properties   § spring.datasource.password=Xk9mP2vL7qRw                          § Xk9mP2vL7qRw
            run.sh           § export DB_PASSWORD=${DB_PASSWORD:-Xk9mP2vL7qRw}                  § Xk9mP2vL7qRw
            src/c.go         § dbPassword := "Xk9#mP2$vL7qR!"                                   § Xk9#mP2$vL7qR!
            app.json         § {"clientSecret": "9f8e7d6c5b4a3210ZQxw12", "name": "x"}          § 9f8e7d6c5b4a3210ZQxw12
            deploy.sh        § curl -H "X-API-Key: 9f8e7d6c5b4a3210ZQxw12" https://api.internal § 9f8e7d6c5b4a3210ZQxw12
            """)
    void finds_secrets_followed_by_brace_angle_paren_and_with_symbols(String path, String line, String secret) {
        assertThat(onlySecret(path, line)).isEqualTo(secret);
    }

    @Test
    void finds_kubernetes_name_value_pairs() {
        String yaml =
                "env:\n  - name: DB_PASSWORD\n    value: \"S3cr3t!Pass9\"\n  - name: LOG_LEVEL\n    value: debug\n"
                        + "  - name: API_TOKEN\n    value: tok9f8e7d6c5b4a3210ZQ\n";
        List<Hit> hits = scan("deploy/app.yaml", yaml);
        assertThat(hits).extracting(Hit::secret).containsExactly("S3cr3t!Pass9", "tok9f8e7d6c5b4a3210ZQ");
        assertThat(hits).extracting(Hit::line).containsExactly(3, 7);
    }

    @Test
    void finds_credentials_in_uris_and_not_the_rest_of_the_uri() {
        Hit h = scan("k8s/cm.yaml", "MONGO_URL: mongodb+srv://admin:Pa55w0rd!x@cluster0.abcde.mongodb.net/db")
                .get(0);
        assertThat(h.rule()).isEqualTo("connection-uri-password");
        assertThat(h.secret()).isEqualTo("Pa55w0rd!x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '§', quoteCharacter = '~', textBlock = """
            values.yaml      § password: ${DB_PASSWORD}
            values.yaml      § password: "{{ .Values.db.password }}"
            values.yaml      § password: <your-password>
            values.yaml      § api_key: your_api_key_here
            src/A.java       § String password = user.getPassword();
            src/a.py         § token = os.environ["TOKEN"]
            src/a.py         § password = settings.DATABASES["default"]["PASSWORD"]
            src/a.js         § const password = process.env.DB_PASSWORD;
            src/a.js         § if (password === "") { fail(); }
            app.yml          § request_id: 123e4567-e89b-12d3-a456-426614174000
            app.yml          § api_key: 123e4567-e89b-12d3-a456-426614174000
            app.yml          § sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            build.gradle     § checksum = "d41d8cd98f00b204e9800998ecf8427e"
            cache.yml        § cache_key: "user:42:profile:8f14e45fceea167a5a36dedd4cea2543"
            pay.yml          § idempotency_key: "b7e1f0c2d9a84e6f9c3d2a1b0e9f8d7c"
            package-lock.json § "integrity": "sha512-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08AbCdEf=="
            image.yml        § digest: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            keys.yml         § public_key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9f86d081884c7d659a2feaa0c55ad"
            users.yml        § password_hash: "$2b$12$KIXQ1y6Zq9.8mZ8jY0m7QeW9y6f5e4d3c2b1a0ZYXWVUTSRQPONMK"
            app.yml          § token_url: https://auth.internal/oauth2/token
            app.yml          § password_min_length: 12
            app.yml          § secret_name: prod/db/password
            app.yml          § aws_access_key_id: AKIAIOSFODNN7EXAMPLE
            tf.tf            § password = var.db_password
            ui.js            § placeholder: "Enter your password here"
            ci.yml           § token: ${{ secrets.GITHUB_TOKEN }}
            """)
    void stays_quiet_on_placeholders_references_ids_hashes_and_public_material(String path, String line) {
        assertThat(scan(path, line)).as(line).isEmpty();
    }

    @Test
    void an_inline_allow_comment_suppresses_and_is_counted() {
        String token = "ghp_" + random(ALNUM, 36, 1);
        Engine.Result r = engine.scan(
                "a.py",
                ("x = '" + token + "'  # warden:allow\ny = '" + token + "'\n").getBytes(StandardCharsets.UTF_8),
                null,
                null);
        assertThat(r.hits()).hasSize(1);
        assertThat(r.hits().get(0).line()).isEqualTo(2);
        assertThat(r.allowedInline()).isEqualTo(1);
    }

    @Test
    void the_most_specific_rule_wins_when_two_rules_find_one_secret() {
        String token = "ghp_" + random(ALNUM, 36, 2);
        List<Hit> hits = scan("ci.env", "GITHUB_TOKEN=" + token);
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.rule()).isEqualTo("github-token");
            assertThat(h.confidence()).isEqualTo(Confidence.HIGH);
        });
    }

    @Test
    void columns_count_utf16_units_of_the_decoded_line_and_invalid_utf8_is_scanned() {
        String token = "ghp_" + random(ALNUM, 36, 3);
        byte[] prefix = "é€ = '".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xff, (byte) 0xfe, '\n'};
        byte[] line = (token + "'\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bad.length + prefix.length + line.length];
        System.arraycopy(bad, 0, all, 0, bad.length);
        System.arraycopy(prefix, 0, all, bad.length, prefix.length);
        System.arraycopy(line, 0, all, bad.length + prefix.length, line.length);
        Hit h = engine.scan("u.txt", all, null, null).hits().get(0);
        assertThat(h.line()).isEqualTo(2);
        assertThat(h.column()).isEqualTo("é€ = '".length() + 1);
        assertThat(h.endColumn()).isEqualTo(h.column() + token.length());
        assertThat(h.secret()).isEqualTo(token);
    }

    @Test
    void fingerprints_are_keyed_so_two_keys_give_two_fingerprints_and_one_key_one() {
        String text = "GITHUB_TOKEN=ghp_" + random(ALNUM, 36, 4);
        Engine a = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), new Fingerprinter(new byte[32], "test"));
        Engine b = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        String fa = a.scan("x", text, null, null).hits().get(0).fingerprint();
        assertThat(a.scan("y", text, null, null).hits().get(0).fingerprint()).isEqualTo(fa);
        assertThat(b.scan("x", text, null, null).hits().get(0).fingerprint()).isNotEqualTo(fa);
        assertThat(fa).doesNotContain(text.substring(13));
    }

    @Test
    void a_long_line_full_of_keywords_is_scanned_in_bounded_windows() {
        String token = "ghp_" + random(ALNUM, 36, 5);
        String line = "key=value token password secret ".repeat(60_000) + "t='" + token + "'";
        List<Hit> hits = scan("big.txt", line);
        assertThat(hits).extracting(Hit::secret).contains(token);
    }

    @Test
    void a_jwt_links_to_its_service_account_and_an_expired_one_is_low_confidence() {
        String live =
                Samples.jwt("{\"iss\":\"kubernetes/serviceaccount\",\"sub\":\"system:serviceaccount:payments:api\","
                        + "\"exp\":4102444800}");
        String old = Samples.jwt("{\"kubernetes.io/serviceaccount/namespace\":\"payments\","
                + "\"kubernetes.io/serviceaccount/service-account.name\":\"worker\",\"exp\":1000}");
        List<Hit> hits = scan("token.txt", "a: " + live + "\nb: " + old + "\n");
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).link())
                .isEqualTo(new LinkKey(LinkKey.Type.KUBERNETES_SERVICE_ACCOUNT, "system:serviceaccount:payments:api"));
        assertThat(hits.get(0).confidence()).isEqualTo(Confidence.HIGH);
        assertThat(hits.get(1).link().value()).isEqualTo("system:serviceaccount:payments:worker");
        assertThat(hits.get(1).confidence()).isEqualTo(Confidence.LOW);
    }

    @Test
    void a_postgres_uri_links_to_its_role() {
        Hit h = scan("a.env", "DATABASE_URL=postgresql://orders_app:Tr0ub4dor%263x@PG.prod.internal/orders")
                .get(0);
        assertThat(h.link())
                .isEqualTo(new LinkKey(LinkKey.Type.POSTGRESQL_ROLE, "postgresql://pg.prod.internal:5432/orders_app"));
    }
}
