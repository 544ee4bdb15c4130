package dev.warden.scan;

import static dev.warden.scan.Samples.ALNUM;
import static dev.warden.scan.Samples.B64;
import static dev.warden.scan.Samples.HEX;
import static dev.warden.scan.Samples.LETTERS;
import static dev.warden.scan.Samples.UPPER_ALNUM;
import static dev.warden.scan.Samples.URLSAFE;
import static dev.warden.scan.Samples.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every rule keeps (see {@link Rule}), run for each built-in rule and for rules
 * loaded from a gitleaks file; and for each built-in rule, true examples it must find and false
 * examples no rule may report.
 */
class RuleContractTest {
    static final Clock CLOCK = new TestClock(Fixtures.T0);

    private static final Map<String, List<String>> TRUTHS = makeTruths();
    private static final Map<String, List<String>> FALSEHOODS = makeFalsehoods();

    static Map<String, List<String>> truths() {
        return TRUTHS;
    }

    static Map<String, List<String>> falsehoods() {
        return FALSEHOODS;
    }

    /** rule id → lines (or files) holding a secret that rule must report. */
    private static Map<String, List<String>> makeTruths() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(
                "aws-access-key-id",
                List.of(
                        "aws_access_key_id = " + Samples.awsKeyId(1),
                        "\"AccessKeyId\": \"ASIA" + random(Samples.BASE32, 16, 2) + "\""));
        m.put(
                "aws-secret-access-key",
                List.of(
                        "aws_secret_access_key = " + random(B64, 40, 3),
                        "AWS_SECRET_ACCESS_KEY: \"" + random(B64, 40, 4) + "\""));
        m.put("gcp-api-key", List.of("apiKey: \"AIza" + random(URLSAFE, 35, 5) + "\""));
        m.put("google-oauth-client-secret", List.of("\"client_secret\": \"GOCSPX-" + random(URLSAFE, 28, 6) + "\""));
        m.put(
                "azure-storage-account-key",
                List.of("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + random(B64, 86, 7)
                        + "==;EndpointSuffix=core.windows.net"));
        m.put(
                "azure-ad-client-secret",
                List.of("AZURE_CLIENT_SECRET=\"" + random(ALNUM, 3, 8) + "8Q~" + random(ALNUM + "_~.-", 34, 9) + "\""));
        m.put("digitalocean-token", List.of("DO_TOKEN=dop_v1_" + random(HEX, 64, 10)));
        m.put("alibaba-access-key-id", List.of("accessKeyId: LTAI" + random(ALNUM, 20, 11)));
        m.put(
                "github-token",
                List.of("GITHUB_TOKEN=ghp_" + random(ALNUM, 36, 12), "token: ghs_" + random(ALNUM, 36, 13)));
        m.put(
                "github-fine-grained-token",
                List.of("github_pat_" + random(ALNUM, 22, 14) + "_" + random(ALNUM, 59, 15)));
        m.put(
                "gitlab-token",
                List.of("GITLAB_TOKEN: glpat-" + random(URLSAFE, 20, 16), "glptt-" + random(HEX, 40, 17)));
        m.put("npm-token", List.of("//registry.npmjs.org/:_authToken=npm_" + random(ALNUM, 36, 18)));
        m.put("pypi-token", List.of("password = pypi-AgEIcHlwaS5vcmc" + random(URLSAFE, 70, 19)));
        m.put("dockerhub-token", List.of("DOCKERHUB_TOKEN=dckr_pat_" + random(URLSAFE, 27, 20)));
        m.put("rubygems-token", List.of(":rubygems_api_key: rubygems_" + random(HEX, 48, 21)));
        m.put("vault-token", List.of("VAULT_TOKEN=hvs." + random(URLSAFE, 95, 22)));
        m.put(
                "terraform-cloud-token",
                List.of("token = \"" + random(ALNUM, 14, 23) + ".atlasv1." + random(URLSAFE, 65, 24) + "\""));
        m.put("databricks-token", List.of("DATABRICKS_TOKEN=dapi" + random(HEX, 32, 25)));
        m.put("atlassian-api-token", List.of("JIRA_API_TOKEN=ATATT3" + random(URLSAFE, 186, 26)));
        m.put("grafana-token", List.of("GRAFANA_TOKEN=glsa_" + random(ALNUM, 32, 27) + "_" + random(HEX, 8, 28)));
        m.put("new-relic-user-key", List.of("NEW_RELIC_API_KEY=NRAK-" + random(UPPER_ALNUM, 27, 29)));
        m.put("postman-api-key", List.of("x-api-key: PMAK-" + random(HEX, 24, 30) + "-" + random(HEX, 34, 31)));
        m.put("linear-api-key", List.of("LINEAR_KEY=lin_api_" + random(ALNUM, 40, 32)));
        m.put("slack-token", List.of("SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-" + random(ALNUM, 24, 33)));
        m.put(
                "slack-webhook",
                List.of("url: https://hooks.slack.com/services/T0" + random(UPPER_ALNUM, 8, 34) + "/B0"
                        + random(UPPER_ALNUM, 8, 35) + "/" + random(ALNUM, 24, 36)));
        m.put(
                "discord-webhook",
                List.of("https://discord.com/api/webhooks/123456789012345678/" + random(URLSAFE, 68, 37)));
        m.put("telegram-bot-token", List.of("TELEGRAM_BOT_TOKEN=123456789:AA" + random(URLSAFE, 33, 38)));
        m.put(
                "stripe-secret-key",
                List.of(
                        "Stripe.apiKey = \"sk_live_" + random(ALNUM, 32, 39) + "\";",
                        "rk_test_" + random(ALNUM, 40, 40)));
        m.put("square-token", List.of("SQUARE_SECRET=sq0csp-" + random(URLSAFE, 43, 41)));
        m.put("shopify-token", List.of("SHOPIFY_TOKEN=shpat_" + random(HEX, 32, 42)));
        m.put(
                "sendgrid-api-key",
                List.of("SENDGRID_API_KEY=SG." + random(URLSAFE, 22, 43) + "." + random(URLSAFE, 43, 44)));
        m.put("mailchimp-api-key", List.of("mc_key: " + random(HEX, 32, 45) + "-us12"));
        m.put("mailgun-api-key", List.of("MAILGUN_KEY=key-" + random(HEX, 32, 46)));
        m.put("twilio-api-key", List.of("twilio_api_key = \"SK" + random(HEX, 32, 47) + "\""));
        m.put(
                "openai-api-key",
                List.of("OPENAI_API_KEY=sk-proj-" + random(URLSAFE, 40, 48) + "T3BlbkFJ" + random(URLSAFE, 40, 49)));
        m.put("anthropic-api-key", List.of("ANTHROPIC_API_KEY=sk-ant-api03-" + random(URLSAFE, 93, 50) + "AA"));
        m.put("huggingface-token", List.of("HF_TOKEN=hf_" + random(LETTERS, 34, 51)));
        m.put("age-secret-key", List.of("AGE-SECRET-KEY-1" + random(Samples.BECH32, 58, 52)));
        m.put("warden-api-token", List.of("WARDEN_TOKEN=" + Samples.wardenToken(53)));
        m.put(
                "private-key",
                List.of(
                        Samples.pem("PRIVATE KEY", Samples.rsa().getPrivate().getEncoded()),
                        "{\"private_key\": \""
                                + Samples.pem(
                                                "PRIVATE KEY",
                                                Samples.ec().getPrivate().getEncoded())
                                        .replace("\n", "\\n")
                                + "\"}"));
        m.put(
                "jwt",
                List.of("token: "
                        + Samples.jwt("{\"sub\":\"system:serviceaccount:payments:api\",\"exp\":4102444800}")));
        m.put(
                "connection-uri-password",
                List.of(
                        "DATABASE_URL=postgres://app:Tr0ub4dor&3x@pg.prod.internal:5432/app",
                        "url: jdbc:postgresql://db.internal:5432/orders?user=orders&password=Qm9vZ1e7x"));
        m.put("http-bearer-token", List.of("-H 'Authorization: Bearer " + random(ALNUM + "._-", 48, 54) + "'"));
        m.put(
                "generic-secret-assignment",
                List.of(
                        "password: \"Xk9#mP2$vL7qR!\"",
                        "@Value(\"${db.password:S3cr3tP@ss}\")",
                        "<password>S3cr3t!Pass9</password>"));
        return m;
    }

    /** Lines no rule may report: documentation values, placeholders, references, look-alikes. */
    private static Map<String, List<String>> makeFalsehoods() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(
                "aws-access-key-id",
                List.of(
                        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                        "AKIA1234",
                        "ID=XAKIA" + random(Samples.BASE32, 16, 60) + "Q"));
        m.put(
                "aws-secret-access-key",
                List.of(
                        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}"));
        m.put("gcp-api-key", List.of("AIzaSHORT", "apiKey: \"AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\""));
        m.put("google-oauth-client-secret", List.of("GOCSPX-short"));
        m.put("azure-storage-account-key", List.of("AccountKey=<your-account-key>"));
        m.put("azure-ad-client-secret", List.of("Q~ alone"));
        m.put("digitalocean-token", List.of("dop_v1_xyz"));
        m.put("alibaba-access-key-id", List.of("LTAIshort"));
        m.put("github-token", List.of("ghp_short", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        m.put("github-fine-grained-token", List.of("github_pat_<token>"));
        m.put("gitlab-token", List.of("glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-"));
        m.put("npm-token", List.of("npm_config_registry=https://registry.npmjs.org/"));
        m.put("pypi-token", List.of("password = pypi-<token>"));
        m.put("dockerhub-token", List.of("dckr_pat_"));
        m.put("rubygems-token", List.of("rubygems_api_key: ${RUBYGEMS_KEY}"));
        m.put("vault-token", List.of("VAULT_TOKEN=hvs.short"));
        m.put("terraform-cloud-token", List.of("hostname = app.terraform.io # atlasv1"));
        m.put("databricks-token", List.of("dapi_version = 2"));
        m.put("atlassian-api-token", List.of("ATATT3short"));
        m.put("grafana-token", List.of("glsa_short"));
        m.put("new-relic-user-key", List.of("NRAK-SHORT"));
        m.put("postman-api-key", List.of("PMAK-xxxx"));
        m.put("linear-api-key", List.of("lin_api_key"));
        m.put(
                "slack-token",
                List.of("xoxb-your-token", "SLACK_TOKEN=xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX"));
        m.put(
                "slack-webhook",
                List.of("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"));
        m.put("discord-webhook", List.of("https://discord.com/api/webhooks/{id}/{token}"));
        m.put("telegram-bot-token", List.of("bot123:AA"));
        m.put("stripe-secret-key", List.of("pk_live_" + random(ALNUM, 24, 61), "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"));
        m.put("square-token", List.of("sq0csp-"));
        m.put("shopify-token", List.of("shpat_<token>"));
        m.put("sendgrid-api-key", List.of("SG.example"));
        m.put("mailchimp-api-key", List.of("region: us12"));
        m.put("mailgun-api-key", List.of("key-value store"));
        m.put("twilio-api-key", List.of("twilio sid: AC" + random(HEX, 32, 62)));
        m.put("openai-api-key", List.of("OPENAI_API_KEY=sk-..."));
        m.put("anthropic-api-key", List.of("ANTHROPIC_API_KEY=sk-ant-..."));
        m.put("huggingface-token", List.of("hf_hub_download(repo_id)"));
        m.put("age-secret-key", List.of("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"));
        m.put("warden-api-token", List.of("a mistyped token wdn_" + random(ALNUM, 49, 63) + " fails its checksum"));
        m.put(
                "private-key",
                List.of(
                        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
                        Samples.pem("PUBLIC KEY", Samples.rsa().getPublic().getEncoded())));
        m.put(
                "jwt",
                List.of(
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." + random(URLSAFE, 20, 64),
                        "eyJub3Rqc29u.eyJub3Rqc29u." + random(URLSAFE, 20, 65)));
        m.put(
                "connection-uri-password",
                List.of(
                        "DATABASE_URL=postgres://user:${DB_PASS}@db:5432/app",
                        "see https://user:Sup3rS3cret@example.com/path",
                        "redis://:@localhost:6379"));
        m.put("http-bearer-token", List.of("Authorization: Bearer ${TOKEN}", "Authorization: Bearer <token>"));
        m.put(
                "generic-secret-assignment",
                List.of(
                        "password: ${DB_PASSWORD}",
                        "password: \"{{ .Values.db.password }}\"",
                        "cache_key = \"8f14e45fceea167a5a36dedd4cea2543\"",
                        "idempotency_key: \"b7e1f0c2d9a84e6f9c3d2a1b0e9f8d7c\"",
                        "api_key: 123e4567-e89b-12d3-a456-426614174000",
                        "password_hash: \"$2b$12$KIXQ1y6Zq9.8mZ8jY0m7QeW9y6f5e4d3c2b1a0ZYXWVUTSRQPONMK\"",
                        "public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9yZXhhbXBsZWtleWZvcnRlc3RzMTIzNDU2 me@host",
                        "token: changeme",
                        "label: \"Please enter your password\""));
        return m;
    }

    static Stream<Rule> builtins() {
        return BuiltinRules.all(CLOCK).stream();
    }

    static Stream<Rule> loaded() {
        Path file = Path.of("src/test/resources/scan/gitleaks-rules.toml");
        return GitleaksConfig.load(file, CLOCK).rules().stream()
                .filter(r -> r.id().startsWith("acme") || r.id().startsWith("pkcs12"));
    }

    static Stream<Rule> allRules() {
        return Stream.concat(builtins(), loaded());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allRules")
    void keeps_the_rule_contract(Rule rule) {
        assertThat(rule.id()).matches(RuleSet.RULE_ID.pattern());
        assertThat(rule.severity()).isNotNull();
        for (String k : rule.keywords()) {
            assertThat(k).isNotEmpty().isEqualTo(k.toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(rule.linesAfter()).isBetween(0, 400);
        // offsets stay inside the fragment, on text with and without a match
        List<String> texts = new ArrayList<>(truths().getOrDefault(rule.id(), List.of()));
        texts.add("nothing to see here\n\u0000\u00ff binary-ish \uFFFD");
        texts.add("x".repeat(5000));
        for (String t : texts) {
            Fragment f = new Fragment("src/a.txt", t, null);
            Consumer<Candidate> check = c -> assertThat(c.matchEnd()).isLessThanOrEqualTo(t.length());
            rule.find(f, check);
        }
    }

    @Test
    void built_in_rules_are_unique_and_every_one_has_true_and_false_examples() {
        List<String> ids = builtins().map(Rule::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(truths().keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(falsehoods().keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(builtins().filter(r -> r.keywords().isEmpty()))
                .as("built-in rules all have keywords")
                .isEmpty();
    }

    private static final Engine ENGINE = new Engine(RuleSet.defaults(CLOCK), Fingerprinter.ephemeral());

    static Stream<String> ruleIds() {
        return builtins().map(Rule::id);
    }

    @Test
    void a_key_whose_base64_happens_to_spell_placeholder_words_is_still_a_key() {
        // A real key's body is ~1,600 random base64 characters: about one key in 25 contains "fake",
        // "todo", "xxxx" or another placeholder word somewhere. The body here starts as PKCS#8 does.
        String body = Samples.pem("PRIVATE KEY", Samples.rsa().getPrivate().getEncoded())
                .lines()
                .filter(l -> !l.startsWith("-----"))
                .reduce("", String::concat);
        String spelled = body.substring(0, 64) + "fakeTODOxxxxLoremSampleDummy" + body.substring(92);
        StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
        for (int i = 0; i < spelled.length(); i += 64) {
            pem.append(spelled, i, Math.min(spelled.length(), i + 64)).append('\n');
        }
        pem.append("-----END PRIVATE KEY-----\n");
        assertThat(ENGINE.scan("deploy/key.pem", pem.toString(), null, null).hits())
                .anyMatch(h -> h.rule().equals("private-key"));
        assertThat(ENGINE.scan("deploy/key.pem", pem.toString().replace(spelled.substring(0, 4), "QUJD"), null, null)
                        .hits())
                .as("a body that does not decode to DER is not a key")
                .noneMatch(h -> h.rule().equals("private-key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleIds")
    void finds_its_true_examples(String ruleId) {
        Engine engine = ENGINE;
        for (String text : truths().get(ruleId)) {
            List<Hit> hits = engine.scan("config/app.env", text, null, null).hits();
            assertThat(hits)
                    .as("%s in: %s", ruleId, text)
                    .anyMatch(h -> h.rule().equals(ruleId));
            Hit h = hits.stream()
                    .filter(x -> x.rule().equals(ruleId))
                    .findFirst()
                    .orElseThrow();
            assertThat(text).contains(h.secret());
            assertThat(h.redacted()).doesNotContain(h.secret());
            assertThat(h.fingerprint()).matches("[0-9a-f]{64}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleIds")
    void reports_none_of_its_false_examples(String ruleId) {
        Engine engine = ENGINE;
        for (String text : falsehoods().get(ruleId)) {
            assertThat(engine.scan("config/app.yml", text, null, null).hits())
                    .as("nothing reported in: %s", text)
                    .isEmpty();
        }
    }
}
