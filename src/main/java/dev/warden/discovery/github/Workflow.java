package dev.warden.discovery.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one GitHub Actions workflow says about cloud credentials: how each job authenticates to
 * AWS, Google Cloud or Azure (static secrets or OIDC federation), which secrets it references,
 * which roles it assumes, and its triggers and token permissions.
 *
 * <p>Recognised: {@code aws-actions/configure-aws-credentials} ({@code aws-access-key-id} /
 * {@code aws-secret-access-key} static; {@code role-to-assume} without keys OIDC),
 * {@code google-github-actions/auth} ({@code credentials_json} static;
 * {@code workload_identity_provider} OIDC), {@code azure/login} ({@code creds} static;
 * {@code client-id} without {@code creds} OIDC), cloud credential environment variables at
 * workflow, job or step level set from secrets or literals ({@code AWS_SECRET_ACCESS_KEY},
 * {@code GOOGLE_CREDENTIALS}, {@code ARM_CLIENT_SECRET}, ...), {@code ARM_USE_OIDC}, and secrets
 * whose names say they are cloud keys ({@code AWS_SECRET_KEY}, {@code GCP_SA_KEY}, ...) wherever
 * they are used. Secret names are read from expressions only ({@code ${{ secrets.NAME }}},
 * {@code secrets['NAME']}, {@code if:} conditions); their values are never in a workflow.
 */
final class Workflow {
    /** Environment variables that carry static cloud credentials. */
    static final Map<String, String> STATIC_ENV = Map.ofEntries(
            Map.entry("AWS_ACCESS_KEY_ID", "aws"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "aws"),
            Map.entry("AWS_SESSION_TOKEN", "aws"),
            Map.entry("GOOGLE_CREDENTIALS", "gcp"),
            Map.entry("GOOGLE_APPLICATION_CREDENTIALS_JSON", "gcp"),
            Map.entry("GOOGLE_CLOUD_KEYFILE_JSON", "gcp"),
            Map.entry("GCP_SA_KEY", "gcp"),
            Map.entry("GCLOUD_SERVICE_KEY", "gcp"),
            Map.entry("CLOUDSDK_AUTH_ACCESS_TOKEN", "gcp"),
            Map.entry("ARM_CLIENT_SECRET", "azure"),
            Map.entry("ARM_CLIENT_CERTIFICATE_PASSWORD", "azure"),
            Map.entry("ARM_ACCESS_KEY", "azure"),
            Map.entry("AZURE_CLIENT_SECRET", "azure"),
            Map.entry("AZURE_CREDENTIALS", "azure"),
            Map.entry("AZURE_STORAGE_KEY", "azure"));

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern SECRET_REF = Pattern.compile(
            "\\bsecrets\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\\s*])");
    private static final Pattern CLOUD_SECRET_NAME = Pattern.compile(
            "(AWS|AMAZON|GCP|GOOGLE|GCLOUD|AZURE|ARM)_.*(KEY|SECRET|CREDENTIAL|CREDENTIALS|TOKEN|PASSWORD|JSON)");

    /** The pseudo job of what a workflow sets for all its jobs (workflow-level env). */
    static final String WORKFLOW = "(workflow)";

    /** How one job reaches one cloud. {@code method}: {@code oidc} or {@code static-secret}. */
    record CloudUse(String cloud, String method, String job, String evidence) {}

    /** A cloud identity the workflow assumes: the entitlement it becomes. */
    record Assumption(String action, String resource, String via) {}

    /** Where a secret is used and for what. */
    record SecretUse(String name, Set<String> jobs, Set<String> usedAs) {}

    final String name;
    final Set<String> triggers = new TreeSet<>();
    final List<CloudUse> uses = new ArrayList<>();
    final List<Assumption> assumptions = new ArrayList<>();
    final Map<String, SecretUse> secrets = new TreeMap<>();
    final Set<String> idTokenJobs = new TreeSet<>();
    final Set<String> oidcWithoutIdToken = new TreeSet<>();
    final Set<String> inline = new TreeSet<>();
    final Set<String> environments = new TreeSet<>();
    final Set<String> reusable = new TreeSet<>();
    boolean idTokenAtWorkflow;
    boolean selfHosted;
    boolean secretsInherit;

    private Workflow(String name) {
        this.name = name;
    }

    /** Reads a parsed workflow; {@code root} must be a mapping with {@code jobs}. */
    static Workflow read(JsonNode root) {
        Workflow w = new Workflow(text(root.get("name")));
        w.triggers(root.get("on"));
        w.idTokenAtWorkflow = idToken(root.get("permissions"));
        w.envUses(WORKFLOW, "env", fields(root.get("env")), "workflow env");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("jobs") && !e.getKey().equals("on")) {
                w.collectSecrets(WORKFLOW, e.getValue(), e.getKey());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("jobs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            w.job(e.getKey(), e.getValue());
        }
        return w;
    }

    boolean usesCloud() {
        return !uses.isEmpty();
    }

    /** {@code oidc}, {@code static-secret} or {@code mixed}. */
    String auth() {
        boolean oidc = uses.stream().anyMatch(u -> u.method().equals("oidc"));
        boolean stat = uses.stream().anyMatch(u -> u.method().equals("static-secret"));
        return oidc && stat ? "mixed" : oidc ? "oidc" : "static-secret";
    }

    private void triggers(JsonNode on) {
        if (on == null) {
            return;
        }
        if (on.isTextual()) {
            triggers.add(on.asText());
        } else if (on.isArray()) {
            on.forEach(t -> triggers.add(t.asText()));
        } else if (on.isObject()) {
            on.fieldNames().forEachRemaining(triggers::add);
        }
    }

    private void job(String id, JsonNode job) {
        if (!job.isObject()) {
            return;
        }
        boolean idToken = job.has("permissions") ? idToken(job.get("permissions")) : idTokenAtWorkflow;
        if (job.has("permissions") && idToken(job.get("permissions"))) {
            idTokenJobs.add(id);
        }
        JsonNode env = job.get("environment");
        String environment = env == null ? null : env.isObject() ? text(env.get("name")) : text(env);
        JsonNode runsOn = job.get("runs-on");
        if (runsOn != null && runsOn.toString().contains("self-hosted")) {
            selfHosted = true;
        }
        String called = text(job.get("uses"));
        if (called != null) {
            reusable.add(called);
            if ("inherit".equals(text(job.get("secrets")))) {
                secretsInherit = true;
            }
        }
        int before = uses.size();
        envUses(id, "env", fields(job.get("env")), "job " + id);
        int stepNo = 0;
        for (JsonNode step : job.path("steps")) {
            stepNo++;
            String where = "job " + id + " step " + stepName(step, stepNo);
            envUses(id, "env", fields(step.get("env")), where);
            String action = text(step.get("uses"));
            if (action != null) {
                action(id, action, fields(step.get("with")), where, idToken);
            }
        }
        collectSecrets(id, job, "");
        if (uses.size() > before && environment != null) {
            environments.add(environment);
        }
    }

    private void action(String job, String ref, Map<String, JsonNode> with, String where, boolean idToken) {
        String action = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        String via = where + " (" + ref + ")";
        switch (action.toLowerCase(Locale.ROOT)) {
            case "aws-actions/configure-aws-credentials" -> {
                String role = text(with.get("role-to-assume"));
                boolean keys = with.containsKey("aws-access-key-id") || with.containsKey("aws-secret-access-key");
                inline(with, via, "aws-access-key-id", "aws-secret-access-key", "aws-session-token");
                if (keys) {
                    uses.add(new CloudUse("aws", "static-secret", job, "aws-access-key-id"));
                    if (role != null) {
                        assumptions.add(new Assumption("sts:AssumeRole", role, via));
                    }
                } else if (role != null) {
                    oidc("aws", job, via, idToken || with.containsKey("web-identity-token-file"));
                    assumptions.add(new Assumption("sts:AssumeRoleWithWebIdentity", role, via));
                }
            }
            case "google-github-actions/auth" -> {
                String provider = text(with.get("workload_identity_provider"));
                String account = text(with.get("service_account"));
                inline(with, via, "credentials_json");
                if (with.containsKey("credentials_json")) {
                    uses.add(new CloudUse("gcp", "static-secret", job, "credentials_json"));
                } else if (provider != null) {
                    oidc("gcp", job, via, idToken);
                    assumptions.add(
                            account != null
                                    ? new Assumption(
                                            "iam.serviceAccounts.getAccessToken", "serviceAccount:" + account, via)
                                    : new Assumption("gcp:federatedToken", provider, via));
                }
            }
            case "azure/login" -> {
                String client = text(with.get("client-id"));
                inline(with, via, "creds");
                if (with.containsKey("creds")) {
                    uses.add(new CloudUse("azure", "static-secret", job, "creds"));
                } else if (client != null) {
                    oidc("azure", job, via, idToken);
                    assumptions.add(new Assumption("azure:federatedToken", "azure:app/" + client, via));
                }
            }
            default -> {
                // other actions: their secrets are collected, the cloud is not known
            }
        }
    }

    private void oidc(String cloud, String job, String via, boolean idToken) {
        uses.add(new CloudUse(cloud, "oidc", job, via));
        if (!idToken) {
            oidcWithoutIdToken.add(job);
        }
    }

    private void envUses(String job, String kind, Map<String, JsonNode> env, String where) {
        for (Map.Entry<String, JsonNode> e : env.entrySet()) {
            String var = e.getKey().toUpperCase(Locale.ROOT);
            String value = text(e.getValue());
            String cloud = STATIC_ENV.get(var);
            if (cloud != null && value != null) {
                boolean fromSecret = !secretNames(value).isEmpty();
                boolean literal = !value.contains("${{");
                if (fromSecret || literal) {
                    uses.add(new CloudUse(cloud, "static-secret", job, kind + " " + var));
                }
                if (literal && !var.equals("AWS_ACCESS_KEY_ID")) {
                    inline.add(var + " in " + where);
                }
            }
            if (var.equals("ARM_USE_OIDC") && "true".equalsIgnoreCase(value)) {
                uses.add(new CloudUse("azure", "oidc", job, where + " ARM_USE_OIDC"));
            }
            if (var.equals("AWS_WEB_IDENTITY_TOKEN_FILE") && env.get("AWS_ROLE_ARN") != null) {
                uses.add(new CloudUse("aws", "oidc", job, where + " AWS_WEB_IDENTITY_TOKEN_FILE"));
                assumptions.add(new Assumption("sts:AssumeRoleWithWebIdentity", text(env.get("AWS_ROLE_ARN")), where));
            }
        }
    }

    private void inline(Map<String, JsonNode> with, String via, String... inputs) {
        for (String input : inputs) {
            String v = text(with.get(input));
            if (v != null && !v.contains("${{") && !input.equals("aws-access-key-id")) {
                inline.add(input + " in " + via);
            }
        }
    }

    /** Every secret the job's expressions name, with what it is passed as. */
    private void collectSecrets(String job, JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.equals("if") && e.getValue().isTextual()) {
                    for (String s : names(SECRET_REF.matcher(e.getValue().asText()))) {
                        secret(job, s, "condition");
                    }
                    continue;
                }
                collectSecrets(job, e.getValue(), key);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectSecrets(job, n, path));
        } else if (node.isTextual()) {
            for (String s : secretNames(node.asText())) {
                secret(job, s, path.isEmpty() ? "value" : path);
            }
        }
    }

    private void secret(String job, String name, String usedAs) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.equals("GITHUB_TOKEN")) {
            return;
        }
        SecretUse u = secrets.computeIfAbsent(n, k -> new SecretUse(k, new TreeSet<>(), new TreeSet<>()));
        u.jobs().add(job);
        u.usedAs().add(usedAs);
        if (CLOUD_SECRET_NAME.matcher(n).matches()
                && uses.stream()
                        .noneMatch(x -> x.job().equals(job) && x.method().equals("static-secret"))) {
            uses.add(new CloudUse(cloudOf(n), "static-secret", job, "secret " + n));
        }
    }

    private static String cloudOf(String secret) {
        if (secret.startsWith("AWS") || secret.startsWith("AMAZON")) {
            return "aws";
        }
        return secret.startsWith("AZURE") || secret.startsWith("ARM") ? "azure" : "gcp";
    }

    /** Secret names in the {@code ${{ }}} expressions of {@code text}. */
    static Set<String> secretNames(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = EXPRESSION.matcher(text);
        while (m.find()) {
            out.addAll(names(SECRET_REF.matcher(m.group(1))));
        }
        return out;
    }

    private static List<String> names(Matcher m) {
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    /** Whether {@code permissions} grants {@code id-token: write}. */
    static boolean idToken(JsonNode permissions) {
        if (permissions == null) {
            return false;
        }
        if (permissions.isTextual()) {
            return permissions.asText().equals("write-all");
        }
        return "write".equals(text(permissions.get("id-token")));
    }

    private static String stepName(JsonNode step, int n) {
        String id = text(step.get("name"));
        if (id == null) {
            id = text(step.get("id"));
        }
        return id == null ? String.valueOf(n) : "'" + id + "'";
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    static String text(JsonNode node) {
        return node != null
                        && node.isValueNode()
                        && !node.isNull()
                        && !node.asText().isBlank()
                ? node.asText().strip()
                : null;
    }
}
