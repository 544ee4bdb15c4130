package dev.warden.discovery.github;

import dev.warden.discovery.github.Workflow.Assumption;
import dev.warden.discovery.github.Workflow.CloudUse;
import dev.warden.discovery.github.Workflow.SecretUse;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.InventoryText;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A workflow that uses cloud credentials as a CI integration identity: external id
 * {@code github:OWNER/REPO:.github/workflows/FILE}, source {@code github}/{@code OWNER}, one
 * credential per referenced secret ({@code secrets.NAME@OWNER/REPO}, kind guessed from the name),
 * one entitlement per cloud role or identity it assumes, and attributes saying how it
 * authenticates ({@code auth=oidc|static-secret|mixed}) and what triggers it. Its technical owner
 * comes from CODEOWNERS where the repository has one.
 */
final class WorkflowRecords {
    /** Inputs and environment variables whose secret is a cloud credential. */
    private static final Set<String> CLOUD_INPUTS =
            Set.of("aws-access-key-id", "aws-secret-access-key", "aws-session-token", "credentials_json", "creds");

    private final Repository repo;
    private final String path;
    private final Workflow w;
    private final String environment;
    private final Instant now;

    WorkflowRecords(Repository repo, String path, Workflow w, String environment, Instant now) {
        this.repo = repo;
        this.path = path;
        this.w = w;
        this.environment = environment;
        this.now = now;
    }

    IdentityRecord record() {
        Map<String, String> a = new TreeMap<>();
        a.put("repository", repo.slug());
        a.put("path", path);
        a.put("auth", w.auth());
        Set<String> targets = w.uses.stream().map(CloudUse::cloud).collect(Collectors.toCollection(TreeSet::new));
        put(
                a,
                "clouds",
                joined(targets.stream().filter(CredentialNames.CLOUDS::contains).toList()));
        a.put("targets", joined(targets));
        Set<String> jobs = w.uses.stream().map(CloudUse::job).collect(Collectors.toCollection(TreeSet::new));
        a.put("jobs", joined(jobs));
        a.put("jobAuth", joined(jobs.stream().map(j -> j + "=" + w.auth(j)).toList()));
        put(
                a,
                "calls",
                joined(w.calls.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue())
                        .toList()));
        put(a, "forkCheckout", joined(w.forkCheckout));
        put(a, "calledBy", joined(w.calledBy));
        put(a, "variableCredentials", joined(w.variables.keySet()));
        put(a, "workflowName", w.name);
        put(a, "secrets", joined(w.secrets.keySet()));
        put(a, "triggers", joined(w.triggers));
        if (w.triggers.contains("pull_request_target")) {
            a.put("pullRequestTarget", "true");
        }
        if (w.triggers.contains("workflow_run")) {
            a.put("workflowRun", "true");
        }
        if (w.idTokenAtWorkflow) {
            a.put("idToken", "workflow");
        } else if (!w.idTokenJobs.isEmpty()) {
            a.put("idToken", "jobs:" + joined(w.idTokenJobs));
        }
        put(a, "oidcWithoutIdToken", joined(w.oidcWithoutIdToken));
        put(
                a,
                "roles",
                joined(w.assumptions.stream()
                        .map(Assumption::resource)
                        .collect(Collectors.toCollection(TreeSet::new))));
        put(a, "environments", joined(w.environments));
        put(a, "inlineCredentials", joined(w.inline));
        put(a, "reusableWorkflows", joined(w.reusable));
        if (w.secretsInherit) {
            a.put("secretsInherit", "true");
        }
        if (w.selfHosted) {
            a.put("selfHostedRunner", "true");
        }
        CodeOwners.Owners owners = repo.codeOwners().ownersOf(path);
        String env = w.environments.size() == 1 ? w.environments.iterator().next() : environment;
        Identity identity = Identity.builder(
                        IdentityKind.CI_INTEGRATION,
                        repo.slug() + ":" + path,
                        "github:" + repo.slug() + ":" + path,
                        Source.of("github", repo.owner()))
                .environment(env)
                .owners(
                        null,
                        owners == null ? null : bounded(owners.owners()),
                        owners == null ? null : "codeowners:" + owners.where())
                .workload(repo.slug())
                .purpose(w.name)
                .thirdPartyVendor("GitHub Actions")
                .seen(now)
                .nature(Nature.MACHINE, "GitHub Actions workflow")
                .attributes(a)
                .build();
        return IdentityRecord.whole(identity, credentials(), entitlements(), List.of());
    }

    private List<Credential> credentials() {
        List<Credential> out = new ArrayList<>();
        for (SecretUse s : w.secrets.values()) {
            if (identifier(s.name())) {
                continue;
            }
            Map<String, String> attrs = new TreeMap<>();
            attrs.put("store", "github-actions-secret");
            attrs.put("longLived", "true");
            attrs.put("jobs", joined(s.jobs()));
            attrs.put("usedAs", joined(s.usedAs()));
            boolean cloud = s.targets().stream().anyMatch(CredentialNames.CLOUDS::contains)
                    || s.usedAs().stream()
                            .anyMatch(u -> CLOUD_INPUTS.contains(u) || CredentialNames.STATIC_ENV.containsKey(u));
            if (cloud) {
                attrs.put("cloudCredential", "true");
            }
            put(attrs, "targets", joined(s.targets()));
            out.add(new Credential(
                    null,
                    null,
                    kind(s.name()),
                    "secrets." + s.name() + "@" + repo.slug(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    CredentialStatus.ACTIVE,
                    attrs));
        }
        for (SecretUse v : w.variables.values()) {
            Map<String, String> attrs = new TreeMap<>();
            attrs.put("store", "github-actions-variable");
            attrs.put("longLived", "true");
            attrs.put("plainText", "true");
            attrs.put("jobs", joined(v.jobs()));
            attrs.put("usedAs", joined(v.usedAs()));
            put(attrs, "targets", joined(v.targets()));
            if (v.targets().stream().anyMatch(CredentialNames.CLOUDS::contains)) {
                attrs.put("cloudCredential", "true");
            }
            out.add(new Credential(
                    null,
                    null,
                    kind(v.name()),
                    "vars." + v.name() + "@" + repo.slug(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    CredentialStatus.ACTIVE,
                    attrs));
        }
        return out;
    }

    private List<Entitlement> entitlements() {
        Set<Entitlement> out = new LinkedHashSet<>();
        for (Assumption x : w.assumptions) {
            out.add(new Entitlement(Effect.ALLOW, x.action(), bounded(x.resource()), bounded(x.via()), null));
        }
        return List.copyOf(out);
    }

    /**
     * Whether a secret holds an identifier rather than a credential ({@code AZURE_CLIENT_ID},
     * {@code AWS_ROLE_ARN}, {@code GCP_PROJECT_ID}, {@code OPENSHIFT_SERVER}, {@code COS_BUCKET},
     * {@code DOCKERHUB_USERNAME}): kept secret by habit, not a key to anything.
     */
    static boolean identifier(String name) {
        return name.matches(".*_(ID|ARN|REGION|ACCOUNT|URL|SERVER|HOST|ENDPOINT|BUCKET|USERNAME|USER|PROJECT|ZONE)")
                && !name.contains("KEY")
                && !name.contains("SECRET")
                && !name.contains("WEBHOOK");
    }

    /** What a secret is, from its name: GitHub stores values only, so the name is all there is. */
    static CredentialKind kind(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        boolean cloud = n.matches("(AWS|AMAZON|GCP|GOOGLE|GCLOUD)_.*");
        if (n.contains("ACCESS_KEY") || n.contains("SECRET_KEY") || (cloud && n.matches(".*(KEY|CREDENTIALS?|JSON)"))) {
            return CredentialKind.ACCESS_KEY;
        }
        if (n.contains("CLIENT_SECRET")
                || n.equals("AZURE_CREDENTIALS")
                || (n.startsWith("ARM_") && n.contains("SECRET"))) {
            return CredentialKind.CLIENT_SECRET;
        }
        if (n.contains("PASSWORD") || n.contains("PASSWD")) {
            return CredentialKind.PASSWORD;
        }
        if (n.contains("API_KEY") || n.contains("APIKEY")) {
            return CredentialKind.API_KEY;
        }
        if (n.contains("SSH") || n.contains("DEPLOY_KEY")) {
            return CredentialKind.SSH_KEY;
        }
        return CredentialKind.TOKEN;
    }

    /** What the user should hear about a cloud-using workflow. */
    static List<String> notes(String file, Workflow w) {
        List<String> out = new ArrayList<>();
        if (w.triggers.contains("pull_request_target")) {
            out.add(file + ": runs on pull_request_target with credentials; code from forks may reach them");
        }
        for (String job : w.forkCheckout) {
            out.add(file + ": job " + job
                    + " checks out the pull request's head where repository secrets are available (fork exposure)");
        }
        for (String v : w.variables.keySet()) {
            out.add(file + ": configuration variable vars." + v
                    + " is passed as a credential; variables are plain text, not masked secrets");
        }
        for (String job : w.oidcWithoutIdToken) {
            out.add(file + ": job " + job
                    + " federates to a cloud without permissions id-token: write; GitHub issues it no OIDC token");
        }
        for (String inline : w.inline) {
            out.add(file + ": a credential is written into the workflow, not taken from a secret (" + inline
                    + "); its value is not kept");
        }
        return out;
    }

    private static String joined(Collection<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            String s = bounded(v);
            if (b.length() + s.length() + 1 > InventoryText.MAX_TEXT - 20) {
                b.append(",...");
                break;
            }
            b.append(b.length() == 0 ? "" : ",").append(s);
        }
        return b.toString();
    }

    private static String bounded(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(300).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return b.toString().strip();
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }
}
