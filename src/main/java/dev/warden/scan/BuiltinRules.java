package dev.warden.scan;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Warden's default rule set, each written from the provider's documented token format: a
 * distinctive prefix and alphabet where the provider has one (those rules run with high
 * confidence), structure checks where the format allows (JWT, PEM, checksummed Warden tokens), and a
 * context-aware generic rule for secret-named assignments. Example values from documentation are
 * never reported.
 */
public final class BuiltinRules {
    /** Characters that end a token: anything outside the usual token alphabets. */
    private static final String END = "(?:[^A-Za-z0-9_-]|$)";

    private static final String START = "(?:^|[^A-Za-z0-9_-])";

    private BuiltinRules() {}

    /** The built-in rules, in priority order; {@code clock} decides whether a JWT has expired. */
    public static List<Rule> all(Clock clock) {
        List<Rule> r = new ArrayList<>();
        // Cloud providers
        r.add(token(
                        "aws-access-key-id",
                        "AWS access key id",
                        START + "((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})" + END,
                        "akia",
                        "asia",
                        "abia",
                        "acca")
                .linker(s -> Optional.of(new LinkKey(LinkKey.Type.AWS_ACCESS_KEY_ID, s)))
                .build());
        r.add(token(
                        "aws-secret-access-key",
                        "AWS secret access key",
                        "(?i)(?:aws|amazon)[A-Za-z0-9_.-]{0,24}(?:secret|sk)[A-Za-z0-9_.-]{0,24}[\"'`]?\\]?\\s{0,4}"
                                + "(?::=|=>|=|:|,)\\s{0,4}[\"'`]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
                        "aws",
                        "amazon")
                .minEntropy(3.5)
                .build());
        r.add(token("gcp-api-key", "Google Cloud API key", START + "(AIza[0-9A-Za-z_-]{35})" + END, "aiza")
                .build());
        r.add(token(
                        "google-oauth-client-secret",
                        "Google OAuth client secret",
                        START + "(GOCSPX-[0-9A-Za-z_-]{28})" + END,
                        "gocspx-")
                .build());
        r.add(token(
                        "azure-storage-account-key",
                        "Azure storage account key",
                        "(?i)AccountKey=([A-Za-z0-9+/]{86}==)",
                        "accountkey=")
                .build());
        r.add(token(
                        "azure-ad-client-secret",
                        "Azure AD (Entra ID) client secret",
                        "(?:^|[\\\\'\"`\\s>=:(,)])([a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\\\'\"`\\s<),])",
                        "q~")
                .build());
        r.add(token(
                        "digitalocean-token",
                        "DigitalOcean token",
                        START + "(do[opr]_v1_[a-f0-9]{64})" + END,
                        "dop_v1_",
                        "doo_v1_",
                        "dor_v1_")
                .build());
        r.add(token(
                        "alibaba-access-key-id",
                        "Alibaba Cloud AccessKey id",
                        START + "(LTAI[a-zA-Z0-9]{20})" + END,
                        "ltai")
                .severity(Severity.MEDIUM)
                .build());
        // Source control, CI and package registries
        r.add(token(
                        "github-token",
                        "GitHub token (classic PAT, OAuth, app, refresh)",
                        START + "((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36})" + END,
                        "ghp_",
                        "gho_",
                        "ghu_",
                        "ghs_",
                        "ghr_")
                .build());
        r.add(token(
                        "github-fine-grained-token",
                        "GitHub fine-grained personal access token",
                        START + "(github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59})" + END,
                        "github_pat_")
                .build());
        r.add(token(
                        "gitlab-token",
                        "GitLab token (personal, runner, deploy, trigger)",
                        START + "((?:glpat|glrt|gldt|glcbt|glsoat|glffct)-[0-9A-Za-z_-]{20,64}|glptt-[0-9a-f]{40})"
                                + END,
                        "glpat-",
                        "glrt-",
                        "gldt-",
                        "glcbt-",
                        "glsoat-",
                        "glffct-",
                        "glptt-")
                .build());
        r.add(token("npm-token", "npm access token", START + "(npm_[0-9A-Za-z]{36})" + END, "npm_")
                .build());
        r.add(token(
                        "pypi-token",
                        "PyPI upload token",
                        START + "(pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,250})" + END,
                        "pypi-ageichlwas5vcmc")
                .build());
        r.add(token(
                        "dockerhub-token",
                        "Docker Hub personal access token",
                        START + "(dckr_pat_[0-9A-Za-z_-]{27})" + END,
                        "dckr_pat_")
                .build());
        r.add(token("rubygems-token", "RubyGems API key", START + "(rubygems_[0-9a-f]{48})" + END, "rubygems_")
                .build());
        r.add(token(
                        "vault-token",
                        "HashiCorp Vault token",
                        START + "(hv[sb]\\.[0-9A-Za-z_-]{90,120})" + END,
                        "hvs.",
                        "hvb.")
                .build());
        r.add(token(
                        "terraform-cloud-token",
                        "Terraform Cloud / Enterprise API token",
                        START + "([0-9A-Za-z]{14}\\.atlasv1\\.[0-9A-Za-z_=-]{60,70})" + END,
                        "atlasv1")
                .build());
        r.add(token(
                        "databricks-token",
                        "Databricks personal access token",
                        START + "(dapi[a-f0-9]{32}(?:-[0-9])?)" + END,
                        "dapi")
                .build());
        r.add(token(
                        "atlassian-api-token",
                        "Atlassian API token",
                        START + "(ATATT3[A-Za-z0-9_=-]{180,190})" + END,
                        "atatt3")
                .build());
        r.add(token(
                        "grafana-token",
                        "Grafana service account or cloud token",
                        START + "(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})" + END,
                        "glsa_",
                        "glc_")
                .build());
        r.add(token("new-relic-user-key", "New Relic user API key", START + "(NRAK-[A-Z0-9]{27})" + END, "nrak-")
                .build());
        r.add(token("postman-api-key", "Postman API key", START + "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + END, "pmak-")
                .build());
        r.add(token("linear-api-key", "Linear API key", START + "(lin_api_[A-Za-z0-9]{40})" + END, "lin_api_")
                .build());
        // Chat, payment, email, AI
        r.add(token(
                        "slack-token",
                        "Slack token (bot, user, app, config)",
                        START
                                + "(xox[bpaesr]-(?:[0-9]{8,13}-){1,3}[0-9A-Za-z]{24,64}|xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{8,13}-[a-f0-9]{64})"
                                + END,
                        "xoxb-",
                        "xoxp-",
                        "xoxa-",
                        "xoxe-",
                        "xoxs-",
                        "xoxr-",
                        "xapp-")
                .build());
        r.add(token(
                        "slack-webhook",
                        "Slack incoming webhook URL",
                        "(https://hooks\\.slack\\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})",
                        "hooks.slack.com")
                .build());
        r.add(token(
                        "discord-webhook",
                        "Discord webhook URL",
                        "(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68})",
                        "discord")
                .build());
        r.add(token(
                        "telegram-bot-token",
                        "Telegram bot token",
                        START + "([0-9]{8,10}:AA[0-9A-Za-z_-]{33})" + END,
                        ":aa")
                .build());
        r.add(token(
                        "stripe-secret-key",
                        "Stripe secret or restricted key",
                        START + "((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,247})" + END,
                        "sk_live_",
                        "sk_test_",
                        "rk_live_",
                        "rk_test_")
                .build());
        r.add(token(
                        "square-token",
                        "Square access token or OAuth secret",
                        START + "(sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43})" + END,
                        "sq0atp-",
                        "sq0csp-")
                .build());
        r.add(token(
                        "shopify-token",
                        "Shopify access token or shared secret",
                        START + "(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + END,
                        "shpat_",
                        "shpca_",
                        "shppa_",
                        "shpss_")
                .build());
        r.add(token(
                        "sendgrid-api-key",
                        "SendGrid API key",
                        START + "(SG\\.[0-9A-Za-z_-]{22}\\.[0-9A-Za-z_-]{43})" + END,
                        "sg.")
                .build());
        r.add(token("mailchimp-api-key", "Mailchimp API key", START + "([0-9a-f]{32}-us[0-9]{1,2})" + END, "-us")
                .build());
        r.add(token("mailgun-api-key", "Mailgun API key", START + "(key-[0-9a-f]{32})" + END, "key-")
                .build());
        r.add(token(
                        "twilio-api-key",
                        "Twilio API key SID near a Twilio secret",
                        "(?i)twilio[^\\n]{0,40}?\\b(SK[0-9a-fA-F]{32})\\b",
                        "twilio")
                .severity(Severity.MEDIUM)
                .build());
        r.add(token(
                        "openai-api-key",
                        "OpenAI API key",
                        START + "(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100})"
                                + END,
                        "t3blbkfj")
                .build());
        r.add(token(
                        "anthropic-api-key",
                        "Anthropic API key",
                        START + "(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)" + END,
                        "sk-ant-")
                .build());
        r.add(token("huggingface-token", "Hugging Face access token", START + "(hf_[A-Za-z]{34})" + END, "hf_")
                .build());
        r.add(token(
                        "age-secret-key",
                        "age encryption secret key",
                        "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
                        "age-secret-key-1")
                .build());
        r.add(token("warden-api-token", "Warden API token", START + "(wdn_[0-9A-Za-z]{49})" + END, "wdn_")
                .validator(BuiltinRules::wardenChecksum)
                .build());
        // Structured secrets
        r.add(RegexRule.builder("private-key")
                .description("Private key (PEM or OpenSSH)")
                .severity(Severity.HIGH)
                .keywords("-----begin")
                .regex("-----BEGIN[ A-Z0-9]{0,24} PRIVATE KEY(?: BLOCK)?-----"
                        + "(?:[A-Za-z0-9+/=\\s:,.-]|\\\\[nr]){64,}?-----END[ A-Z0-9]{0,24} PRIVATE KEY(?: BLOCK)?-----")
                .validator(BuiltinRules::realKeyBody)
                .linker(KeyMaterial::linkKey)
                .linesAfter(200)
                .priority(80)
                .build());
        r.add(new JwtRule(clock));
        r.add(new ConnectionUriRule());
        r.add(RegexRule.builder("http-bearer-token")
                .description("Bearer token in an HTTP Authorization header")
                .severity(Severity.MEDIUM)
                .keywords("bearer")
                .regex("(?i)\\bauthorization[\"']?\\s{0,4}[:=,]\\s{0,4}[\"']?bearer\\s+([A-Za-z0-9_~+/.-]{20,}=*)")
                .validator(s -> Secrets.entropy(s) >= 3.5 && !Values.isPlaceholder(s) && !Secrets.isExample(s))
                .confidence(Confidence.MEDIUM)
                .priority(40)
                .build());
        r.add(new AssignmentRule());
        return List.copyOf(r);
    }

    private static RegexRule.Builder token(String id, String description, String regex, String... keywords) {
        return RegexRule.builder(id)
                .description(description)
                .severity(Severity.HIGH)
                .keywords(keywords)
                .regex(regex)
                .validator(s -> !Secrets.isExample(s))
                .confidence(Confidence.HIGH);
    }

    /** A PEM body of real key material: enough base64, not an elided example. */
    /**
     * A key block is real when its body decodes to what keys are: DER (an ASN.1 SEQUENCE, which every
     * PKCS#1, PKCS#8, SEC 1 and encrypted PEM body is) or OpenSSH's {@code openssh-key-v1} format.
     * Placeholder words are not looked for inside the base64: a real key's 1,600 random characters
     * contain "fake" or "todo" about once in 25 keys.
     */
    static boolean realKeyBody(String pem) {
        int start = pem.indexOf("-----", 10) + 5;
        int end = pem.lastIndexOf("-----END");
        String body = pem.substring(start, Math.max(start, end));
        if (body.contains("...")) {
            return false;
        }
        StringBuilder b64 = new StringBuilder(body.length());
        for (String line : body.replace("\\r", "\n").replace("\\n", "\n").split("\n")) {
            if (line.indexOf(':') >= 0) {
                continue; // Proc-Type / DEK-Info headers of encrypted PEM
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=') {
                    b64.append(c);
                } else if (!Character.isWhitespace(c) && c != '"' && c != '\'' && c != ',') {
                    return false;
                }
            }
        }
        if (b64.length() < 64) {
            return false;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(b64.toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (der.length < 48) {
            return false;
        }
        return der[0] == 0x30 && ((der[1] & 0xff) >= 0x80 || der[1] >= 40)
                || new String(der, 0, 14, StandardCharsets.ISO_8859_1).equals("openssh-key-v1");
    }

    /** Warden tokens end with 6 base62 characters of the CRC32 of the 43 after {@code wdn_} (see TokenService). */
    static boolean wardenChecksum(String token) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        String body = token.substring(4, token.length() - 6);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] check = new char[6];
        for (int i = 5; i >= 0; i--) {
            check[i] = alphabet.charAt((int) (v % 62));
            v /= 62;
        }
        return token.endsWith(new String(check));
    }
}
