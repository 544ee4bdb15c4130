package dev.warden.bench.scan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A synthetic code base: Java, Python, JavaScript, Go, YAML (Kubernetes, compose, CI), .env,
 * properties, XML, JSON, Terraform and shell files of realistic filler, with planted secrets (the
 * ground truth: path, line, kind) and decoys (placeholders, references, UUIDs, digests, example and
 * public keys, cache and idempotency keys) that no scanner should report.
 */
final class Corpus {
    /** A run of lines; {@code secretLine} is the index of the line holding the secret, or -1. */
    record Snippet(List<String> lines, int secretLine, String kind) {
        static Snippet secret(String kind, String... lines) {
            return new Snippet(List.of(lines), 0, kind);
        }

        static Snippet secretAt(int index, String kind, String... lines) {
            return new Snippet(List.of(lines), index, kind);
        }

        static Snippet decoy(String... lines) {
            return new Snippet(List.of(lines), -1, "decoy");
        }
    }

    /** One planted secret. */
    record Truth(String path, int line, String kind) {}

    record Lang(
            String dir,
            String ext,
            List<Function<Secrets, String>> filler,
            List<Function<Secrets, Snippet>> secrets,
            List<Function<Secrets, Snippet>> decoys) {}

    private final Secrets x;
    private final Random r;
    private final List<Lang> langs = new ArrayList<>();

    Corpus(long seed) {
        this.r = new Random(seed);
        this.x = new Secrets(r);
        langs.add(java());
        langs.add(python());
        langs.add(js());
        langs.add(go());
        langs.add(yaml());
        langs.add(env());
        langs.add(properties());
        langs.add(xml());
        langs.add(json());
        langs.add(terraform());
        langs.add(shell());
    }

    Secrets secrets() {
        return x;
    }

    List<Lang> langs() {
        return langs;
    }

    /** Writes about {@code bytes} of files under {@code root}; returns the planted secrets. */
    List<Truth> write(Path root, long bytes) throws IOException {
        List<Truth> truths = new ArrayList<>();
        long written = 0;
        int n = 0;
        while (written < bytes) {
            Lang lang = langs.get(n % langs.size());
            String rel = lang.dir() + "/" + x.word() + "/" + x.ident() + n + "." + lang.ext();
            written += writeFile(root, rel, lang, 8_000 + r.nextInt(24_000), 0.0015, truths);
            if (n % 211 == 0) {
                String key = "keys/" + x.word() + n + ".pem";
                Files.createDirectories(root.resolve(key).getParent());
                Files.writeString(root.resolve(key), x.pem() + "\n");
                truths.add(new Truth(key, 1, "private-key"));
            }
            n++;
        }
        return truths;
    }

    /** Writes one file of about {@code size} bytes; secrets with probability {@code density} per line. */
    long writeFile(Path root, String rel, Lang lang, int size, double density, List<Truth> truths) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        List<String> lines = lines(lang, size, density, rel, truths, 0);
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
        return Files.size(p);
    }

    /** Lines for a file (or an addition to one, starting after line {@code offset}). */
    List<String> lines(Lang lang, int size, double density, String rel, List<Truth> truths, int offset) {
        List<String> out = new ArrayList<>();
        int bytes = 0;
        while (bytes < size) {
            double d = r.nextDouble();
            List<String> add;
            if (d < density) {
                Snippet s = lang.secrets().get(r.nextInt(lang.secrets().size())).apply(x);
                truths.add(new Truth(rel, offset + out.size() + s.secretLine() + 1, s.kind()));
                add = s.lines();
            } else if (d < density * 4) {
                add = lang.decoys()
                        .get(r.nextInt(lang.decoys().size()))
                        .apply(x)
                        .lines();
            } else {
                add = List.of(lang.filler().get(r.nextInt(lang.filler().size())).apply(x));
            }
            for (String l : add) {
                out.add(l);
                bytes += l.length() + 1;
            }
        }
        return out;
    }

    // ---- languages ------------------------------------------------------------------------

    private static List<Function<Secrets, Snippet>> commonDecoys(String assign, String q) {
        return List.of(
                s -> Snippet.decoy("request_id" + assign + q + s.uuid() + q),
                s -> Snippet.decoy("checksum" + assign + q + s.hex(64) + q),
                s -> Snippet.decoy("cache_key" + assign + q + "user:" + s.digits(4) + ":" + s.hex(32) + q),
                s -> Snippet.decoy("idempotency_key" + assign + q + s.hex(32) + q),
                s -> Snippet.decoy("commit_sha" + assign + q + s.hex(40) + q),
                s -> Snippet.decoy("etag" + assign + q + s.hex(32) + q),
                s -> Snippet.decoy("trace_id" + assign + q + s.hex(32) + q),
                s -> Snippet.decoy("aws_access_key_id" + assign + q + "AKIAIOSFODNN7EXAMPLE" + q),
                s -> Snippet.decoy("api_key" + assign + q + "your_api_key_here" + q),
                s -> Snippet.decoy("password" + assign + q + "changeme" + q),
                s -> Snippet.decoy("public_key" + assign + q + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
                        + s.s(Secrets.B64, 43) + " deploy@ci" + q),
                s -> Snippet.decoy("stripe_publishable_key" + assign + q + "pk_live_" + s.s(Secrets.ALNUM, 24) + q),
                s -> Snippet.decoy("password_hash" + assign + q + "$2b$12$" + s.s(Secrets.ALNUM + "./", 53) + q),
                s -> Snippet.decoy("image_digest" + assign + q + "sha256:" + s.hex(64) + q),
                s -> Snippet.decoy("session_id" + assign + q + s.uuid() + q),
                s -> Snippet.decoy("integrity" + assign + q + "sha512-" + s.s(Secrets.B64, 86) + "==" + q));
    }

    private static List<Function<Secrets, Snippet>> with(
            List<Function<Secrets, Snippet>> a, List<Function<Secrets, Snippet>> b) {
        List<Function<Secrets, Snippet>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Lang java() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "    private final " + cap(s.word()) + "Repository " + s.word() + "Repository;",
                s -> "    public " + cap(s.word()) + " find" + cap(s.word()) + "(long id) {",
                s -> "        return repository.findById(id).orElseThrow(() -> new NotFoundException(\"" + s.word()
                        + "\"));",
                s -> "    }",
                s -> "",
                s -> "    // " + s.word() + " handling: keep the " + s.word() + " key stable across retries",
                s -> "        var " + s.word() + " = mapper.readValue(json, " + cap(s.word()) + ".class);",
                s -> "        log.info(\"loaded {} {}\", " + s.word() + ".size(), \"" + s.word() + "s\");",
                s -> "        String tokenHeader = request.getHeader(\"Authorization\");",
                s -> "import com.acme." + s.word() + "." + cap(s.word()) + "Service;",
                s -> "    @Value(\"${" + s.word() + ".timeout:30s}\") Duration timeout;",
                s -> "        if (" + s.word() + "Count > MAX_" + s.word().toUpperCase()
                        + ") { throw new IllegalStateException(); }");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret(
                        "generic", "    @Value(\"${db.password:" + s.password() + "}\") private String dbPassword;"),
                s -> Snippet.secret("stripe", "    private static final String STRIPE_KEY = \"" + s.stripe() + "\";"),
                s -> Snippet.secret(
                        "uri",
                        "    String url = \"jdbc:postgresql://" + s.host() + ":5432/app?user=app&password="
                                + s.password().replace("&", "") + "\";"),
                s -> Snippet.secret("aws-id", "        .withCredentials(\"" + s.awsKeyId() + "\", secretFromVault())"),
                s -> Snippet.secret("generic", "    private String apiToken = \"" + s.s(Secrets.ALNUM, 32) + "\";"));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys(" = ", "\""),
                List.of(
                        s -> Snippet.decoy("        String password = user.getPassword();"),
                        s -> Snippet.decoy("    @Value(\"${db.password}\") private String dbPassword;"),
                        s -> Snippet.decoy("        String token = System.getenv(\"API_TOKEN\");")));
        return new Lang("java/src/main/java/com/acme", "java", filler, secrets, decoys);
    }

    private static Lang python() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "def " + s.word() + "_" + s.word() + "(self, " + s.word() + "_id):",
                s -> "    return self.session.query(" + cap(s.word()) + ").filter_by(id=" + s.word() + "_id).first()",
                s -> "    # keys are sorted so the " + s.word() + " token stays deterministic",
                s -> "import " + s.word() + "." + s.word(),
                s -> "",
                s -> "    " + s.word() + "s = [x for x in " + s.word() + "s if x.active]",
                s -> "    logger.debug(\"%s %s\", " + s.word() + ", len(" + s.word() + "s))",
                s -> "class " + cap(s.word()) + cap(s.word()) + "(Base):");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("generic", "DB_PASSWORD = os.getenv(\"DB_PASSWORD\", \"" + s.password() + "\")"),
                s -> Snippet.secret("openai", "client = OpenAI(api_key=\"" + s.openai() + "\")"),
                s -> Snippet.secret("slack", "SLACK_TOKEN = '" + s.slack() + "'"),
                s -> Snippet.secret(
                        "uri",
                        "SQLALCHEMY_DATABASE_URI = \"postgresql://app:"
                                + s.password().replace("@", "").replace("/", "") + "@" + s.host() + ":5432/app\""),
                s -> Snippet.secret("generic", "    secret_key = \"" + s.s(Secrets.ALNUM + "!#%", 40) + "\""));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys(" = ", "\""),
                List.of(
                        s -> Snippet.decoy("token = os.environ[\"API_TOKEN\"]"),
                        s -> Snippet.decoy("password = settings.DATABASES[\"default\"][\"PASSWORD\"]")));
        return new Lang("python/app", "py", filler, secrets, decoys);
    }

    private static Lang js() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "export async function " + s.word() + cap(s.word()) + "(id) {",
                s -> "  const res = await fetch(`/api/" + s.word()
                        + "s/${id}`, { headers: { Accept: 'application/json' } });",
                s -> "  if (!res.ok) throw new Error(`" + s.word() + " ${res.status}`);",
                s -> "}",
                s -> "",
                s -> "const " + s.word() + "Keys = Object.keys(" + s.word() + ").sort();",
                s -> "import { " + s.word() + " } from './" + s.word() + "';",
                s -> "  // the refresh token is rotated by the server");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret(
                        "generic", "const apiToken = process.env.API_TOKEN || '" + s.s(Secrets.ALNUM, 32) + "';"),
                s -> Snippet.secret("gcp", "  apiKey: \"" + s.googleApiKey() + "\","),
                s -> Snippet.secret("jwt", "  headers: { Authorization: 'Bearer " + s.jwt() + "' },"),
                s -> Snippet.secret("sendgrid", "sgMail.setApiKey('" + s.sendgrid() + "');"),
                s -> Snippet.secret("npm", "//registry.npmjs.org/:_authToken=" + s.npm()));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys(": ", "'"),
                List.of(
                        s -> Snippet.decoy("const password = process.env.DB_PASSWORD;"),
                        s -> Snippet.decoy("  placeholder: 'Enter your password',")));
        return new Lang("web/src", "js", filler, secrets, decoys);
    }

    private static Lang go() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "func (h *" + cap(s.word()) + "Handler) " + cap(s.word())
                        + "(w http.ResponseWriter, r *http.Request) {",
                s -> "\tif err := json.NewDecoder(r.Body).Decode(&" + s.word() + "); err != nil {",
                s -> "\t\treturn fmt.Errorf(\"decode " + s.word() + ": %w\", err)",
                s -> "\t}",
                s -> "}",
                s -> "",
                s -> "\t" + s.word() + "Key := fmt.Sprintf(\"%s/%d\", prefix, id)");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("generic", "\tdbPassword := \"" + s.password() + "\""),
                s -> Snippet.secret("webhook", "const alertWebhook = \"" + s.slackWebhook() + "\""),
                s -> Snippet.secret(
                        "github", "\tclient := github.NewClient(nil).WithAuthToken(\"" + s.github() + "\")"));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys(" := ", "\""), List.of(s -> Snippet.decoy("\tpassword := os.Getenv(\"DB_PASSWORD\")")));
        return new Lang("go/internal", "go", filler, secrets, decoys);
    }

    private static Lang yaml() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "  " + s.word() + ": " + s.word(),
                s -> "    replicas: " + (1 + s.nextInt(5)),
                s -> "      - name: LOG_LEVEL",
                s -> "        value: info",
                s -> "    image: registry.internal/" + s.word() + ":" + s.digits(1) + "." + s.digits(2),
                s -> "  labels:",
                s -> "    app.kubernetes.io/name: " + s.word(),
                s -> "",
                s -> "    memory: " + (128 * (1 + s.nextInt(8))) + "Mi");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secretAt(
                        1, "k8s-pair", "        - name: DB_PASSWORD", "          value: \"" + s.password() + "\""),
                s -> Snippet.secret("generic", "    password: " + s.password()),
                s -> Snippet.secret(
                        "uri",
                        "    url: mongodb://admin:"
                                + s.password().replace("@", "").replace("/", "") + "@" + s.host() + ":27017/app"),
                s -> Snippet.secret("aws-secret", "  aws_secret_access_key: " + s.awsSecret()),
                s -> Snippet.secret("gitlab", "  GITLAB_TOKEN: " + s.gitlab()));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys(": ", "\""),
                List.of(
                        s -> Snippet.decoy("    password: ${DB_PASSWORD}"),
                        s -> Snippet.decoy("    password: \"{{ .Values.db.password }}\""),
                        s -> Snippet.decoy("  token: ${{ secrets.GITHUB_TOKEN }}"),
                        s -> Snippet.decoy(
                                "        - name: DB_PASSWORD",
                                "          valueFrom:",
                                "            secretKeyRef: {name: db, key: password}")));
        return new Lang("deploy", "yaml", filler, secrets, decoys);
    }

    private static Lang env() {
        List<Function<Secrets, String>> filler = List.of(
                s -> s.word().toUpperCase() + "_HOST=" + s.host(),
                s -> s.word().toUpperCase() + "_PORT=" + (3000 + s.nextInt(6000)),
                s -> "# " + s.word() + " settings",
                s -> "FEATURE_" + s.word().toUpperCase() + "=true",
                s -> "");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("aws-id", "AWS_ACCESS_KEY_ID=" + s.awsKeyId()),
                s -> Snippet.secret("aws-secret", "AWS_SECRET_ACCESS_KEY=" + s.awsSecret()),
                s -> Snippet.secret("github", "GITHUB_TOKEN=" + s.github()),
                s -> Snippet.secret("generic", "DB_PASS=" + s.password()),
                s -> Snippet.secret("stripe", "STRIPE_SECRET_KEY=" + s.stripe()),
                s -> Snippet.secret(
                        "uri",
                        "DATABASE_URL=postgres://app:"
                                + s.password().replace("@", "").replace("/", "") + "@" + s.host() + ":5432/app"));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys("=", ""),
                List.of(s -> Snippet.decoy("DB_PASSWORD=${DB_PASSWORD}"), s -> Snippet.decoy("API_KEY=")));
        return new Lang("config", "env", filler, secrets, decoys);
    }

    private static Lang properties() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "spring." + s.word() + ".enabled=true",
                s -> "server.port=" + (8000 + s.nextInt(100)),
                s -> "logging.level.com.acme." + s.word() + "=DEBUG",
                s -> "# " + s.word());
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("generic", "spring.datasource.password=" + s.password()),
                s -> Snippet.secret("generic", "mail.smtp.password=" + s.password()));
        List<Function<Secrets, Snippet>> decoys =
                with(commonDecoys("=", ""), List.of(s -> Snippet.decoy("spring.datasource.password=${DB_PASSWORD}")));
        return new Lang("config/spring", "properties", filler, secrets, decoys);
    }

    private static Lang xml() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "  <" + s.word() + " enabled=\"true\" timeout=\"30\"/>",
                s -> "    <dependency><groupId>com.acme</groupId><artifactId>" + s.word()
                        + "</artifactId></dependency>",
                s -> "  <!-- " + s.word() + " -->");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret(
                        "generic",
                        "    <password>" + s.password().replace("<", "").replace("&", "") + "</password>"),
                s -> Snippet.secret(
                        "generic",
                        "  <add key=\"DbPassword\" value=\"" + s.password().replace("&", "") + "\" />"));
        List<Function<Secrets, Snippet>> decoys = List.of(
                s -> Snippet.decoy("    <password>${env.DB_PASSWORD}</password>"),
                s -> Snippet.decoy("  <checksum>" + s.hex(64) + "</checksum>"),
                s -> Snippet.decoy("  <add key=\"CacheKey\" value=\"" + s.hex(32) + "\" />"));
        return new Lang("dotnet", "config", filler, secrets, decoys);
    }

    private static Lang json() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "  \"" + s.word() + "\": \"" + s.word() + "\",",
                s -> "  \"" + s.word() + "Count\": " + s.digits(3) + ",",
                s -> "  \"enabled\": true,");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret(
                        "private-key", "  \"private_key\": \"" + s.pem().replace("\n", "\\n") + "\\n\","),
                s -> Snippet.secret("generic", "  \"client_secret\": \"" + s.s(Secrets.URLSAFE, 40) + "\","));
        return new Lang("json", "json", filler, secrets, commonDecoys(": ", "\""));
    }

    private static Lang terraform() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "resource \"aws_s3_bucket\" \"" + s.word() + "\" {",
                s -> "  bucket = \"acme-" + s.word() + "\"",
                s -> "}",
                s -> "  tags = { team = \"" + s.word() + "\" }");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("generic", "  password = \"" + s.password() + "\""),
                s -> Snippet.secret("aws-id", "  access_key = \"" + s.awsKeyId() + "\""));
        List<Function<Secrets, Snippet>> decoys =
                with(commonDecoys(" = ", "\""), List.of(s -> Snippet.decoy("  password = var.db_password")));
        return new Lang("infra", "tf", filler, secrets, decoys);
    }

    private static Lang shell() {
        List<Function<Secrets, String>> filler = List.of(
                s -> "echo \"deploying " + s.word() + "\"",
                s -> "kubectl rollout status deploy/" + s.word() + " --timeout=120s",
                s -> "if [ -z \"$" + s.word().toUpperCase() + "\" ]; then exit 1; fi");
        List<Function<Secrets, Snippet>> secrets = List.of(
                s -> Snippet.secret("github", "export GITHUB_TOKEN=" + s.github()),
                s -> Snippet.secret(
                        "slack",
                        "curl -H 'Authorization: Bearer " + s.slack() + "' https://slack.com/api/chat.postMessage"));
        List<Function<Secrets, Snippet>> decoys = with(
                commonDecoys("=", "\""),
                List.of(s -> Snippet.decoy("export GITHUB_TOKEN=\"$(vault read -field=token secret/ci)\"")));
        return new Lang("scripts", "sh", filler, secrets, decoys);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
