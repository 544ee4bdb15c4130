package dev.warden.demo;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The built-in demo estate: a fictional company's machine identities across two AWS accounts, two
 * Kubernetes clusters, GitHub Actions, PostgreSQL, certificates, SSH keys and SaaS API keys, with
 * owners (some missing), entitlements (some too broad) and credentials of realistic ages (some
 * stale, some expiring). Deterministic: the same {@code now} gives the same estate.
 */
public final class DemoEstate {
    private static final String[] TEAMS = {"payments", "platform", "data", "identity", "growth", "search", "mobile"};
    private static final String[] SERVICES = {
        "checkout", "ledger", "invoices", "fraud-scoring", "search-indexer", "recommender", "notifications",
        "billing-export", "etl-nightly", "metrics-gateway", "auth-proxy", "image-resizer", "catalog", "reporting",
        "feature-flags", "webhooks", "sessions", "audit-shipper", "backup", "cdn-purger"
    };
    private static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};
    private static final Map<String, String> ACCOUNTS =
            Map.of("prod", "111122223333", "staging", "444455556666", "dev", "444455556666");
    private static final String[] AWS_ACTIONS = {
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "kms:Decrypt",
        "secretsmanager:GetSecretValue",
        "logs:PutLogEvents",
        "sts:AssumeRole"
    };
    private static final String[] K8S_VERBS = {"get", "list", "watch", "create", "update", "patch", "delete"};
    private static final String[] K8S_RESOURCES = {"pods", "configmaps", "secrets", "deployments", "services", "jobs"};
    private static final String[] VENDORS = {"Datadog", "Snyk", "PagerDuty", "Stripe", "Twilio", "SendGrid", "OpenAI"};

    private final Instant now;
    private final Random random = new Random(20261122L);
    private final List<IdentityRecord> out = new ArrayList<>();

    private DemoEstate(Instant now) {
        this.now = now;
    }

    public static List<IdentityRecord> generate(Instant now) {
        DemoEstate d = new DemoEstate(now);
        d.aws();
        d.kubernetes();
        d.github();
        d.postgres();
        d.certificates();
        d.sshKeys();
        d.apiKeys();
        d.workloads();
        return List.copyOf(d.out);
    }

    private void aws() {
        for (String env : ENVIRONMENTS) {
            String account = ACCOUNTS.get(env);
            for (String svc : SERVICES) {
                String team = team();
                String arn = "arn:aws:iam::" + account + ":role/" + env + "-" + svc;
                Identity role = identity(
                        IdentityKind.CLOUD_ROLE,
                        env + "-" + svc,
                        ExternalIds.awsPrincipal(arn),
                        Source.of("aws", account),
                        env,
                        team,
                        svc,
                        "runs " + svc,
                        Map.of(),
                        400);
                out.add(new IdentityRecord(role, List.of(), awsEntitlements(svc, env)));
            }
            for (int i = 0; i < 12; i++) {
                String svc = pick(SERVICES);
                String name = "svc-" + svc + "-" + env + (i > 5 ? "-legacy" : "");
                String arn = "arn:aws:iam::" + account + ":user/automation/" + name + "-" + i;
                Identity user = identity(
                        IdentityKind.CLOUD_USER,
                        name + "-" + i,
                        ExternalIds.awsPrincipal(arn),
                        Source.of("aws", account),
                        env,
                        maybeTeam(0.25),
                        svc,
                        "static-key automation",
                        Map.of(),
                        1500);
                List<Credential> keys = new ArrayList<>();
                int keyCount = 1 + random.nextInt(2);
                for (int k = 0; k < keyCount; k++) {
                    int ageDays = 5 + random.nextInt(900);
                    Instant created = now.minus(Duration.ofDays(ageDays));
                    keys.add(new Credential(
                            null,
                            null,
                            CredentialKind.ACCESS_KEY,
                            ExternalIds.awsAccessKey("AKIA" + upperToken(16)),
                            null,
                            created,
                            created,
                            null,
                            lastUsed(created),
                            k == 1 && random.nextBoolean() ? CredentialStatus.INACTIVE : CredentialStatus.ACTIVE,
                            Map.of("region", "us-east-1")));
                }
                List<Entitlement> ents = i == 0 && env.equals("prod")
                        ? List.of(new Entitlement(
                                Effect.ALLOW, "*", "*", "arn:aws:iam::aws:policy/AdministratorAccess", null))
                        : awsEntitlements(svc, env);
                out.add(new IdentityRecord(user, keys, ents));
            }
        }
    }

    private List<Entitlement> awsEntitlements(String svc, String env) {
        List<Entitlement> ents = new ArrayList<>();
        int n = 2 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String action = pick(AWS_ACTIONS);
            String resource = action.startsWith("s3:")
                    ? "arn:aws:s3:::" + env + "-" + svc + "/*"
                    : random.nextInt(8) == 0
                            ? "*"
                            : "arn:aws:" + action.substring(0, action.indexOf(':')) + ":us-east-1:" + ACCOUNTS.get(env)
                                    + ":" + svc;
            ents.add(new Entitlement(Effect.ALLOW, action, resource, "policy/" + env + "-" + svc, null));
        }
        if (random.nextInt(10) == 0) {
            ents.add(new Entitlement(Effect.ALLOW, "s3:*", "*", "policy/" + env + "-" + svc + "-broad", null));
        }
        return ents;
    }

    private void kubernetes() {
        for (String cluster : new String[] {"prod-eu-1", "staging-eu-1"}) {
            String env = cluster.startsWith("prod") ? "prod" : "staging";
            for (String svc : SERVICES) {
                String ns = svc.split("-")[0];
                String ext = ExternalIds.kubernetesServiceAccount(ns, svc);
                Identity sa = identity(
                        IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                        ns + "/" + svc,
                        ext,
                        Source.of("kubernetes", cluster),
                        env,
                        team(),
                        svc,
                        "pod identity for " + svc,
                        Map.of(),
                        600);
                List<Entitlement> ents = new ArrayList<>();
                for (int i = 0; i < 2 + random.nextInt(4); i++) {
                    ents.add(new Entitlement(
                            Effect.ALLOW,
                            pick(K8S_VERBS) + " " + pick(K8S_RESOURCES),
                            "namespace/" + ns,
                            "rolebinding/" + ns + "/" + svc,
                            null));
                }
                if (svc.equals("backup")) {
                    ents.add(new Entitlement(
                            Effect.ALLOW, "*", "*", "clusterrolebinding/backup-cluster-admin (cluster-admin)", null));
                }
                List<Credential> creds = new ArrayList<>();
                if (random.nextInt(4) == 0) {
                    Instant created = now.minus(Duration.ofDays(200 + random.nextInt(800)));
                    creds.add(new Credential(
                            null,
                            null,
                            CredentialKind.TOKEN,
                            "secret/" + ns + "/" + svc + "-token",
                            null,
                            created,
                            null,
                            null,
                            null,
                            CredentialStatus.ACTIVE,
                            Map.of("type", "kubernetes.io/service-account-token")));
                }
                out.add(new IdentityRecord(sa, creds, ents));
            }
        }
    }

    private void github() {
        String[] repos = {
            "checkout-api", "ledger", "infra", "web", "data-pipelines", "mobile-app", "search", "terraform-modules"
        };
        for (String repo : repos) {
            for (String wf : new String[] {"deploy", "release", "nightly"}) {
                boolean oidc = random.nextInt(3) > 0;
                Identity ci = identity(
                        IdentityKind.CI_INTEGRATION,
                        repo + "/" + wf,
                        "github:acme/" + repo + ":.github/workflows/" + wf + ".yml",
                        Source.of("github", "acme"),
                        "prod",
                        team(),
                        repo,
                        wf + " workflow",
                        Map.of("auth", oidc ? "oidc" : "static-secret"),
                        700);
                List<Credential> creds = oidc
                        ? List.of()
                        : List.of(new Credential(
                                null,
                                null,
                                CredentialKind.ACCESS_KEY,
                                "secrets.AWS_ACCESS_KEY_ID@acme/" + repo,
                                null,
                                now.minus(Duration.ofDays(100 + random.nextInt(600))),
                                null,
                                null,
                                now.minus(Duration.ofDays(random.nextInt(3))),
                                CredentialStatus.ACTIVE,
                                Map.of("via", "repository secret")));
                out.add(new IdentityRecord(
                        ci,
                        creds,
                        List.of(new Entitlement(
                                Effect.ALLOW,
                                "sts:AssumeRole",
                                "arn:aws:iam::111122223333:role/prod-" + pick(SERVICES),
                                "workflow " + wf,
                                null))));
            }
        }
    }

    private void postgres() {
        for (String host : new String[] {"orders-db.internal", "analytics-db.internal"}) {
            for (String svc : new String[] {
                "checkout", "ledger", "reporting", "etl-nightly", "migrations", "readonly-bi", "debezium"
            }) {
                String role = svc.replace('-', '_');
                Identity r = identity(
                        IdentityKind.DATABASE_ROLE,
                        role + "@" + host,
                        ExternalIds.postgresRole(host, 5432, role),
                        Source.of("postgresql", host + ":5432"),
                        "prod",
                        maybeTeam(0.2),
                        svc,
                        "database login for " + svc,
                        Map.of(),
                        900);
                Instant created = now.minus(Duration.ofDays(30 + random.nextInt(1200)));
                Credential pw = new Credential(
                        null,
                        null,
                        CredentialKind.PASSWORD,
                        "password:" + role,
                        null,
                        created,
                        created,
                        svc.equals("readonly-bi") ? now.plus(Duration.ofDays(12)) : null,
                        lastUsed(created),
                        CredentialStatus.ACTIVE,
                        Map.of());
                List<Entitlement> ents = new ArrayList<>();
                ents.add(new Entitlement(
                        Effect.ALLOW,
                        svc.startsWith("readonly") ? "SELECT" : "SELECT,INSERT,UPDATE,DELETE",
                        "schema public",
                        "GRANT",
                        null));
                if (svc.equals("migrations")) {
                    ents.add(new Entitlement(Effect.ALLOW, "SUPERUSER", "server " + host, "role attribute", null));
                }
                out.add(new IdentityRecord(r, List.of(pw), ents));
            }
        }
    }

    private void certificates() {
        for (int i = 0; i < 40; i++) {
            String svc = pick(SERVICES);
            String env = pick(ENVIRONMENTS);
            String cn = svc + "." + env + ".acme.internal";
            String fp = ExternalIds.certificate((cn + "#" + i).getBytes(StandardCharsets.UTF_8));
            int validityDays = i % 7 == 0 ? 825 : i % 3 == 0 ? 365 : 90;
            Instant notBefore = now.minus(Duration.ofDays(random.nextInt(validityDays)));
            Instant notAfter = notBefore.plus(Duration.ofDays(validityDays));
            Identity cert = identity(
                    IdentityKind.CERTIFICATE,
                    cn,
                    fp,
                    Source.of("certificate", "tls-inventory"),
                    env,
                    team(),
                    svc,
                    "TLS server certificate",
                    Map.of("issuer", i % 5 == 0 ? "CN=Acme Legacy CA" : "CN=Acme Issuing CA 2"),
                    validityDays);
            Credential c = new Credential(
                    null,
                    null,
                    CredentialKind.CERTIFICATE,
                    fp,
                    fp,
                    notBefore,
                    null,
                    notAfter,
                    null,
                    notAfter.isBefore(now) ? CredentialStatus.EXPIRED : CredentialStatus.ACTIVE,
                    Map.of(
                            "keyAlgorithm",
                            i % 11 == 0 ? "RSA-1024" : i % 2 == 0 ? "EC-P256" : "RSA-2048",
                            "signatureAlgorithm",
                            i % 13 == 0 ? "SHA1withRSA" : "SHA256withRSA"));
            out.add(new IdentityRecord(cert, List.of(c), List.of()));
        }
    }

    private void sshKeys() {
        for (int i = 0; i < 25; i++) {
            String host = "bastion-" + (i % 3) + ".acme.internal";
            String fp = "SHA256:" + upperToken(43);
            Identity key = identity(
                    IdentityKind.SSH_KEY,
                    "deploy-key-" + i + "@" + host,
                    fp,
                    Source.of("ssh", host),
                    "prod",
                    maybeTeam(0.35),
                    pick(SERVICES),
                    "authorized_keys entry for deploys",
                    Map.of(),
                    1800);
            Instant created = now.minus(Duration.ofDays(random.nextInt(1800)));
            out.add(new IdentityRecord(
                    key,
                    List.of(new Credential(
                            null,
                            null,
                            CredentialKind.SSH_KEY,
                            null,
                            fp,
                            created,
                            null,
                            null,
                            lastUsed(created),
                            CredentialStatus.ACTIVE,
                            Map.of("keyType", i % 4 == 0 ? "ssh-rsa 1024" : "ssh-ed25519"))),
                    List.of(new Entitlement(Effect.ALLOW, "ssh login", "host " + host, "authorized_keys", null))));
        }
    }

    private void apiKeys() {
        for (String vendor : VENDORS) {
            for (int i = 0; i < 4; i++) {
                String name = vendor.toLowerCase(Locale.ROOT) + "-" + pick(SERVICES) + "-" + i;
                Identity key = identity(
                        IdentityKind.API_KEY,
                        name,
                        "apikey:" + vendor.toLowerCase(Locale.ROOT) + ":" + name,
                        Source.of("saas", vendor.toLowerCase(Locale.ROOT)),
                        pick(ENVIRONMENTS),
                        maybeTeam(0.3),
                        null,
                        "integration with " + vendor,
                        Map.of(),
                        1000);
                Identity withVendor = new Identity(
                        null,
                        key.kind(),
                        key.name(),
                        key.externalId(),
                        key.source(),
                        key.environment(),
                        key.businessOwner(),
                        key.technicalOwner(),
                        key.ownershipProvenance(),
                        key.workload(),
                        key.purpose(),
                        key.status(),
                        vendor,
                        key.tags(),
                        key.createdAt(),
                        key.firstSeen(),
                        key.lastSeen());
                Instant created = now.minus(Duration.ofDays(random.nextInt(1000)));
                out.add(new IdentityRecord(
                        withVendor,
                        List.of(new Credential(
                                null,
                                null,
                                CredentialKind.API_KEY,
                                null,
                                "hmac-sha256:" + HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)),
                                created,
                                null,
                                null,
                                lastUsed(created),
                                CredentialStatus.ACTIVE,
                                Map.of())),
                        List.of(new Entitlement(
                                Effect.ALLOW,
                                i == 0 ? "write:*" : "read:*",
                                vendor.toLowerCase(Locale.ROOT) + " account",
                                "api key scope",
                                null))));
            }
        }
    }

    private void workloads() {
        for (String svc : SERVICES) {
            String spiffe = "spiffe://acme.internal/ns/" + svc.split("-")[0] + "/sa/" + svc;
            Identity w = identity(
                    IdentityKind.WORKLOAD,
                    svc,
                    spiffe,
                    Source.of("spiffe", "acme.internal"),
                    "prod",
                    team(),
                    svc,
                    "workload " + svc,
                    Map.of(),
                    300);
            out.add(new IdentityRecord(w, List.of(), List.of()));
        }
        for (String client : new String[] {"grafana-sso", "backstage", "argo-cd", "jenkins-legacy"}) {
            Identity c = identity(
                    IdentityKind.OAUTH_CLIENT,
                    client,
                    "oauth:okta:" + client,
                    Source.of("okta", "acme.okta.com"),
                    "prod",
                    maybeTeam(0.3),
                    client,
                    "OAuth client for " + client,
                    Map.of(),
                    1200);
            Instant created = now.minus(Duration.ofDays(100 + random.nextInt(1000)));
            out.add(new IdentityRecord(
                    c,
                    List.of(new Credential(
                            null,
                            null,
                            CredentialKind.CLIENT_SECRET,
                            "client_secret:" + client,
                            null,
                            created,
                            null,
                            null,
                            lastUsed(created),
                            CredentialStatus.ACTIVE,
                            Map.of())),
                    List.of(new Entitlement(Effect.ALLOW, "openid profile", "okta org", "client grant", null))));
        }
    }

    private Identity identity(
            IdentityKind kind,
            String name,
            String externalId,
            Source source,
            String env,
            String team,
            String workload,
            String purpose,
            Map<String, String> tags,
            int maxAgeDays) {
        Instant created = now.minus(Duration.ofDays(1 + random.nextInt(maxAgeDays)));
        boolean owned = team != null;
        String provenance = owned
                ? (source.type().equals("kubernetes")
                        ? "label:team"
                        : source.type().equals("aws") ? "tag:owner" : "manual")
                : null;
        Instant lastSeen = now.minus(Duration.ofHours(random.nextInt(48)));
        Instant firstSeen = created.isBefore(lastSeen) ? created : lastSeen;
        Map<String, String> t = new LinkedHashMap<>(tags);
        if (owned) {
            t.put("team", team);
        }
        IdentityStatus status = random.nextInt(40) == 0 ? IdentityStatus.DISABLED : IdentityStatus.ACTIVE;
        return new Identity(
                null,
                kind,
                name,
                externalId,
                source,
                env,
                owned ? "team-" + team : null,
                owned ? team + "-oncall@acme.example" : null,
                provenance,
                workload,
                purpose,
                status,
                null,
                t,
                created,
                firstSeen,
                lastSeen);
    }

    private Instant lastUsed(Instant created) {
        if (random.nextInt(6) == 0) {
            return null; // never used
        }
        long span = Math.max(1, Duration.between(created, now).toDays());
        Instant used = now.minus(Duration.ofDays(
                random.nextInt(8) == 0 ? span / 2 + random.nextInt((int) Math.max(1, span / 2)) : random.nextInt(3)));
        return used.isBefore(created) ? created : used;
    }

    private String team() {
        return pick(TEAMS);
    }

    private String maybeTeam(double missing) {
        return random.nextDouble() < missing ? null : team();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String upperToken(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
