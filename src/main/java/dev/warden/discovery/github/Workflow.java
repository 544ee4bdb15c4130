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
    /** The pseudo job of what a workflow sets for all its jobs (workflow-level env). */
    static final String WORKFLOW = "(workflow)";

    /**
     * How one job reaches one target (a cloud, {@code registry:HOST}, {@code cluster},
     * {@code openshift}, {@code npm}, {@code pypi}, {@code vault}, {@code action:OWNER/NAME}, ...).
     * {@code method}: {@code oidc} or {@code static-secret}; {@code secrets}: the secret (or
     * key-named variable) names that reach it, empty for OIDC and literal values.
     */
    record CloudUse(String cloud, String method, String job, String evidence, Set<String> secrets) {
        CloudUse(String cloud, String method, String job, String evidence) {
            this(cloud, method, job, evidence, Set.of());
        }
    }

    /** A cloud identity the workflow assumes: the entitlement it becomes. */
    record Assumption(String action, String resource, String via) {}

    /** Where a secret is used and for what. */
    record SecretUse(String name, Set<String> jobs, Set<String> usedAs, Set<String> targets) {}

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
    /** Key-named configuration variables ({@code vars.NAME}) that reach a step: plain-text credentials. */
    final Map<String, SecretUse> variables = new TreeMap<>();
    /** Jobs of a pull_request_target / workflow_run workflow that check out the pull request's head. */
    final Set<String> forkCheckout = new TreeSet<>();
    /** Per reusable-workflow call: the job, the callee and {@code inherit} or the secrets passed. */
    final Map<String, String> calls = new TreeMap<>();
    /** Callers in the same import ({@code PATH#JOB CALL}), for a reusable workflow: linked, not copied. */
    final Set<String> calledBy = new TreeSet<>();

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

    /** Whether the workflow holds any credential (a cloud's or any other service's). */
    boolean usesCloud() {
        return !uses.isEmpty();
    }

    /** {@code oidc}, {@code static-secret} or {@code mixed} for one job. */
    String auth(String job) {
        boolean oidc =
                uses.stream().anyMatch(u -> u.job().equals(job) && u.method().equals("oidc"));
        boolean stat =
                uses.stream().anyMatch(u -> u.job().equals(job) && u.method().equals("static-secret"));
        return oidc && stat ? "mixed" : oidc ? "oidc" : "static-secret";
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
            JsonNode passed = job.get("secrets");
            if ("inherit".equals(text(passed))) {
                secretsInherit = true;
                calls.put(id, called + " (secrets: inherit)");
            } else if (passed != null && passed.isObject()) {
                // an explicit mapping: the caller's secret reaches the callee under its own name
                Set<String> mapped = new TreeSet<>();
                for (Map.Entry<String, JsonNode> e : fields(passed).entrySet()) {
                    Set<String> names = CredentialNames.secretNames(String.valueOf(text(e.getValue())));
                    names.removeIf(n -> n.equalsIgnoreCase("GITHUB_TOKEN"));
                    if (!names.isEmpty()) {
                        use("workflow:" + called, "static-secret", id, "job " + id + " secrets " + e.getKey(), names);
                        names.forEach(n -> mapped.add(n + "->" + e.getKey()));
                    }
                }
                calls.put(id, called + (mapped.isEmpty() ? "" : " (secrets: " + String.join(",", mapped) + ")"));
            } else {
                calls.put(id, called);
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
                if (action.toLowerCase(Locale.ROOT).startsWith("actions/checkout@")
                        && String.valueOf(text(step.path("with").get("ref")))
                                .matches("(?s).*github\\.event\\.pull_request\\.head\\.(sha|ref).*|"
                                        + ".*github\\.event\\.workflow_run\\.head_(sha|branch).*|.*github\\.head_ref.*")
                        && (triggers.contains("pull_request_target") || triggers.contains("workflow_run"))) {
                    forkCheckout.add(id);
                }
            }
            String run = text(step.get("run"));
            if (run != null) {
                run(id, run, where, idToken);
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
                    staticInputs(job, "aws", with, via);
                    if (uses.stream()
                            .noneMatch(u -> u.job().equals(job) && u.cloud().equals("aws"))) {
                        uses.add(new CloudUse("aws", "static-secret", job, "aws-access-key-id"));
                    }
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
                    staticInputs(job, "gcp", with, via);
                    if (uses.stream()
                            .noneMatch(u -> u.job().equals(job) && u.cloud().equals("gcp"))) {
                        uses.add(new CloudUse("gcp", "static-secret", job, "credentials_json"));
                    }
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
                if ("identity".equalsIgnoreCase(text(with.get("auth-type")))) {
                    // a managed identity of a self-hosted runner: no secret in GitHub
                    uses.add(new CloudUse("azure", "oidc", job, via + " auth-type IDENTITY"));
                } else if (with.containsKey("creds")) {
                    staticInputs(job, "azure", with, via);
                    if (uses.stream()
                            .noneMatch(u -> u.job().equals(job) && u.cloud().equals("azure"))) {
                        uses.add(new CloudUse("azure", "static-secret", job, "creds"));
                    }
                } else if (client != null) {
                    oidc("azure", job, via, idToken);
                    assumptions.add(new Assumption("azure:federatedToken", "azure:app/" + client, via));
                }
            }
            // aliyun/configure-aliyun-credentials-action action.yml: role-to-assume, oidc-provider-arn
            case "aliyun/configure-aliyun-credentials-action" -> {
                String role = text(with.get("role-to-assume"));
                if (role != null && with.containsKey("oidc-provider-arn")) {
                    oidc("alibaba", job, via, idToken);
                    assumptions.add(new Assumption("sts:AssumeRoleWithOIDC", role, via));
                }
                staticInputs(job, "alibaba", with, via);
            }
            // aliyun/acr-login action.yml: access-key-id/access-key-secret or username/password, login-server
            case "aliyun/acr-login" -> staticInputs(job, registry(with.get("login-server"), "alibaba-acr"), with, via);
            // aliyun/ack-set-context action.yml: access-key-id, access-key-secret, cluster-id
            case "aliyun/ack-set-context" -> staticInputs(job, "cluster:alibaba-ack", with, via);
            // TencentCloud/cos-action action.yml: secret_id, secret_key
            case "tencentcloud/cos-action", "tencentcloudbase/cloudbase-action" ->
                staticInputs(job, "tencent", with, via);
            // IBM/actions-ibmcloud-cli action.yml: api_key
            case "ibm/actions-ibmcloud-cli" -> staticInputs(job, "ibm", with, via);
            // redhat-actions/oc-login action.yml: openshift_token, openshift_username/openshift_password
            case "redhat-actions/oc-login" -> staticInputs(job, "openshift", with, via);
            // docker/login-action action.yml: registry (default Docker Hub), username, password
            case "docker/login-action", "azure/docker-login" -> {
                String reg = registry(with.get("registry"), null);
                if (reg == null) {
                    reg = registry(with.get("login-server"), "registry:docker.io");
                }
                staticInputs(job, reg, with, via);
            }
            // Azure/webapps-deploy, Azure/functions-action action.yml: publish-profile
            case "azure/webapps-deploy", "azure/functions-action" -> staticInputs(job, "azure", with, via);
            case "azure/k8s-set-context", "azure/aks-set-context" -> staticInputs(job, "cluster", with, via);
            // hashicorp/vault-action action.yml: method (token, approle, github, jwt, ...)
            case "hashicorp/vault-action" -> {
                if ("jwt".equalsIgnoreCase(text(with.get("method")))
                        && CredentialNames.secretNames(with.toString()).stream()
                                .noneMatch(n -> !n.equalsIgnoreCase("GITHUB_TOKEN"))) {
                    oidc("vault", job, via, idToken);
                } else {
                    staticInputs(job, "vault", with, via);
                }
            }
            // pypa/gh-action-pypi-publish action.yml: password (user __token__), repository-url
            case "pypa/gh-action-pypi-publish" -> {
                String url = String.valueOf(text(
                        with.containsKey("repository-url") ? with.get("repository-url") : with.get("repository_url")));
                String index = url.contains("test.pypi.org") ? "testpypi" : "pypi";
                if (with.containsKey("password")) {
                    staticInputs(job, index, with, via);
                } else {
                    oidc(index, job, via, idToken);
                }
            }
            case "js-devtools/npm-publish" -> staticInputs(job, "npm", with, via);
            default -> staticInputs(job, "action:" + action.toLowerCase(Locale.ROOT), with, via);
        }
    }

    /** Every secret (or key-named variable) an action's inputs pass reaches {@code target}. */
    private void staticInputs(String job, String target, Map<String, JsonNode> with, String via) {
        Set<String> names = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : with.entrySet()) {
            String v = text(e.getValue());
            if (v == null) {
                continue;
            }
            for (String n : CredentialNames.secretNames(v)) {
                if (!n.equalsIgnoreCase("GITHUB_TOKEN") && !WorkflowRecords.identifier(n.toUpperCase(Locale.ROOT))) {
                    names.add(n.toUpperCase(Locale.ROOT));
                }
            }
            keyVariables(job, v, e.getKey(), target).forEach(names::add);
        }
        if (!names.isEmpty()) {
            String t = target.startsWith("action:") ? CredentialNames.fallbackTarget(names, target) : target;
            use(t, "static-secret", job, via, names);
        }
    }

    /** {@code registry:HOST} from a registry input, or {@code otherwise} when there is none. */
    private static String registry(JsonNode value, String otherwise) {
        String v = text(value);
        if (v == null) {
            return otherwise;
        }
        if (v.contains("${{")) {
            return "registry:(expression)";
        }
        String host =
                v.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("/.*", "").toLowerCase(Locale.ROOT);
        return "registry:" + (host.isEmpty() ? "docker.io" : host);
    }

    /** CLI logins and publishing in a {@code run:} script. */
    private void run(String job, String script, String where, boolean idToken) {
        for (String line : script.split("\\R")) {
            String target = null;
            for (Map.Entry<Pattern, String> p : CredentialNames.RUN_LOGINS) {
                if (p.getKey().matcher(line).find()) {
                    target = p.getValue();
                    break;
                }
            }
            if (target != null && target.equals("registry")) {
                Matcher m = CredentialNames.DOCKER_LOGIN_REGISTRY.matcher(line);
                target = m.find() ? "registry:" + m.group(1).toLowerCase(Locale.ROOT) : "registry:docker.io";
            }
            Set<String> names = new TreeSet<>();
            for (String n : CredentialNames.secretNames(line)) {
                String u = n.toUpperCase(Locale.ROOT);
                if (!u.equals("GITHUB_TOKEN") && !WorkflowRecords.identifier(u)) {
                    names.add(u);
                }
            }
            keyVariables(job, line, "run", target == null ? "service" : target).forEach(names::add);
            if (!names.isEmpty()) {
                use(
                        target != null ? target : CredentialNames.fallbackTarget(names, "service"),
                        "static-secret",
                        job,
                        where + " run",
                        names);
            }
        }
        if (idToken
                && script.matches("(?s).*\\bnpm\\s+publish\\b.*")
                && uses.stream().noneMatch(u -> u.job().equals(job) && u.cloud().equals("npm"))) {
            // npm trusted publishing: the CLI exchanges the job's OIDC token
            oidc("npm", job, where + " run npm publish", true);
        }
    }

    /** Key-named configuration variables in {@code text}, recorded as plain-text credentials. */
    private List<String> keyVariables(String job, String text, String usedAs, String target) {
        List<String> out = new ArrayList<>();
        Matcher e = CredentialNames.EXPRESSION.matcher(text);
        while (e.find()) {
            Matcher m = CredentialNames.VAR_REF.matcher(e.group(1));
            while (m.find()) {
                String n = m.group(1).toUpperCase(Locale.ROOT);
                if (CredentialNames.KEY_NAME.matcher(n).matches() && !WorkflowRecords.identifier(n)) {
                    SecretUse u = variables.computeIfAbsent(
                            n, k -> new SecretUse(k, new TreeSet<>(), new TreeSet<>(), new TreeSet<>()));
                    u.jobs().add(job);
                    u.usedAs().add(usedAs);
                    u.targets().add(target);
                    out.add("vars." + n);
                }
            }
        }
        return out;
    }

    private void use(String target, String method, String job, String via, Set<String> names) {
        uses.add(new CloudUse(target, method, job, via, Set.copyOf(names)));
        for (String n : names) {
            if (!n.startsWith("vars.")) {
                secrets.computeIfAbsent(n, k -> new SecretUse(k, new TreeSet<>(), new TreeSet<>(), new TreeSet<>()))
                        .targets()
                        .add(target);
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
            String cloud = CredentialNames.STATIC_ENV.getOrDefault(var, CredentialNames.SERVICE_ENV.get(var));
            if (cloud != null && value != null) {
                Set<String> names = new TreeSet<>();
                CredentialNames.secretNames(value).forEach(n -> names.add(n.toUpperCase(Locale.ROOT)));
                names.remove("GITHUB_TOKEN");
                keyVariables(job, value, var, cloud).forEach(names::add);
                boolean literal = !value.contains("${{");
                if (!names.isEmpty() || literal) {
                    use(cloud, "static-secret", job, kind + " " + var, names);
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
                    for (String s : CredentialNames.names(
                            CredentialNames.SECRET_REF.matcher(e.getValue().asText()))) {
                        secret(job, s, "condition");
                    }
                    continue;
                }
                collectSecrets(job, e.getValue(), key);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectSecrets(job, n, path));
        } else if (node.isTextual()) {
            for (String s : CredentialNames.secretNames(node.asText())) {
                secret(job, s, path.isEmpty() ? "value" : path);
            }
        }
    }

    private void secret(String job, String name, String usedAs) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.equals("GITHUB_TOKEN")) {
            return;
        }
        SecretUse u =
                secrets.computeIfAbsent(n, k -> new SecretUse(k, new TreeSet<>(), new TreeSet<>(), new TreeSet<>()));
        u.jobs().add(job);
        u.usedAs().add(usedAs);
        // any secret that reaches a step (with, env, run, a reusable workflow's secrets) is a credential
        // use; the action or CLI named its target above, else its name does
        if (!usedAs.equals("condition")
                && !WorkflowRecords.identifier(n)
                && uses.stream()
                        .noneMatch(x -> x.job().equals(job) && x.secrets().contains(n))) {
            use(
                    CredentialNames.fallbackTarget(Set.of(n), "service"),
                    "static-secret",
                    job,
                    "secret " + n + " (" + usedAs + ")",
                    Set.of(n));
        }
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
