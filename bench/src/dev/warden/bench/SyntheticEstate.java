package dev.warden.bench;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A large synthetic estate for the benchmark, identity by identity: identity {@code i} depends only
 * on the seed and {@code i}, so any chunk size gives the same data. The mix: AWS roles and users
 * across accounts, Kubernetes service accounts across clusters, GitHub CI integrations and OAuth
 * apps, PostgreSQL roles, certificates, SSH keys, SaaS API keys and SPIFFE workloads; environments
 * prod/staging/dev/sandbox (a few unset); 40 teams with a skewed size distribution and about 20%
 * of identities with no owner; 0-4 credentials (mean 2) and 0-10 entitlements (mean 5) each.
 */
final class SyntheticEstate {
    static final String[] TEAMS = {
        "payments", "platform", "data", "identity", "growth", "search", "mobile", "billing", "fraud", "risk",
        "ledger", "infra", "sre", "security", "analytics", "ml", "web", "api", "checkout", "catalog",
        "pricing", "shipping", "returns", "support", "crm", "marketing", "finance", "hr", "legal", "compliance",
        "edge", "cdn", "messaging", "notifications", "storage", "backup", "observability", "release", "qa", "docs"
    };
    static final String[] AWS_PROD = {"111122223333", "111122224444", "111122225555"};
    static final String[] K8S_PROD = {"prod-eu-1", "prod-us-1", "prod-ap-1"};

    private static final String[] SERVICES = {
        "checkout", "ledger", "invoices", "fraud-scoring", "search-indexer", "recommender", "notifications",
        "billing-export", "etl-nightly", "metrics-gateway", "auth-proxy", "image-resizer", "catalog", "reporting",
        "feature-flags", "webhooks", "sessions", "audit-shipper", "backup", "cdn-purger"
    };
    private static final String[] AWS_STAGING = {"444455556666", "444455557777"};
    private static final String[] AWS_DEV = {"777788889999", "777788880000"};
    private static final String[] AWS_SANDBOX = {"999900001111"};
    private static final String[] K8S_STAGING = {"staging-eu-1"};
    private static final String[] K8S_DEV = {"dev-eu-1", "dev-us-1"};
    private static final String[] K8S_SANDBOX = {"kind-sandbox"};
    private static final String[] GITHUB_ORGS = {"acme", "acme-labs", "acme-oss"};
    private static final String[] VENDORS = {"datadog", "snyk", "pagerduty", "stripe", "twilio", "sendgrid", "openai"};
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
    private static final String[] PROVENANCE = {"tag:owner", "codeowners", "manual", "cmdb"};
    private static final String HEX = "0123456789abcdef";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final long seed;
    private final Instant now;

    SyntheticEstate(long seed, Instant now) {
        this.seed = seed;
        this.now = now;
    }

    /** Identities {@code from} (inclusive) to {@code to} (exclusive). */
    List<IdentityRecord> records(long from, long to) {
        List<IdentityRecord> out = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            out.add(record(i));
        }
        return out;
    }

    IdentityRecord record(long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String env = environment(r);
        String team = r.nextInt(100) < 20 ? null : TEAMS[(int) (TEAMS.length * Math.pow(r.nextDouble(), 2))];
        String svc = SERVICES[r.nextInt(SERVICES.length)];
        int source = r.nextInt(100);
        Kind k;
        if (source < 35) {
            k = aws(r, i, env, svc);
        } else if (source < 60) {
            k = kubernetes(r, i, env, svc);
        } else if (source < 70) {
            k = github(r, i, svc);
        } else if (source < 78) {
            k = postgres(r, i, env, svc);
        } else if (source < 86) {
            k = new Kind(
                    IdentityKind.CERTIFICATE,
                    svc + "-" + i + ".acme.internal",
                    hex(r, 64),
                    Source.of("certificate", ""));
        } else if (source < 91) {
            k = new Kind(IdentityKind.SSH_KEY, "deploy@" + svc + "-" + i, "SHA256:" + hex(r, 43), Source.of("ssh", ""));
        } else if (source < 97) {
            String vendor = VENDORS[r.nextInt(VENDORS.length)];
            k = new Kind(
                    IdentityKind.API_KEY,
                    vendor + "-" + svc + "-" + i,
                    vendor + ":key/" + i,
                    Source.of("saas", vendor));
        } else {
            k = new Kind(
                    IdentityKind.WORKLOAD,
                    svc + "-" + i,
                    "spiffe://acme.internal/" + (env == null ? "shared" : env) + "/" + svc + "/" + i,
                    Source.of("spiffe", "acme.internal"));
        }
        String technical = team;
        String business = team;
        if (team != null) {
            int t = r.nextInt(100);
            if (t < 25) {
                technical = TEAMS[r.nextInt(TEAMS.length)];
            } else if (t < 40) {
                technical = null;
            } else if (t < 45) {
                business = null;
            }
        }
        Instant firstSeen = now.minus(Duration.ofMinutes(r.nextInt(2 * 365 * 24 * 60)));
        Instant lastSeen = firstSeen.plus(
                Duration.ofMinutes(r.nextLong(Duration.between(firstSeen, now).toMinutes() + 1)));
        int st = r.nextInt(100);
        IdentityStatus status =
                st < 90 ? IdentityStatus.ACTIVE : st < 97 ? IdentityStatus.DISABLED : IdentityStatus.REMOVED;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("service", svc);
        if (team != null && r.nextBoolean()) {
            tags.put("team", team);
        }
        if (r.nextInt(3) == 0) {
            tags.put("cost-center", "cc-" + (1000 + r.nextInt(90)));
        }
        Identity identity = new Identity(
                null,
                k.kind(),
                k.name(),
                k.externalId(),
                k.source(),
                env,
                business,
                technical,
                team == null ? null : PROVENANCE[r.nextInt(PROVENANCE.length)],
                svc,
                "runs " + svc,
                status,
                k.kind() == IdentityKind.API_KEY ? k.source().scope() : null,
                tags,
                firstSeen.minus(Duration.ofDays(r.nextInt(30))),
                firstSeen,
                lastSeen);
        return new IdentityRecord(identity, credentials(r, k.kind(), i), entitlements(r, k, env, svc));
    }

    private record Kind(IdentityKind kind, String name, String externalId, Source source) {}

    private static String environment(SplittableRandom r) {
        int e = r.nextInt(100);
        return e < 45 ? "prod" : e < 70 ? "staging" : e < 92 ? "dev" : e < 97 ? "sandbox" : null;
    }

    private static Kind aws(SplittableRandom r, long i, String env, String svc) {
        String account = pick(
                r,
                env == null
                        ? AWS_SANDBOX
                        : switch (env) {
                            case "prod" -> AWS_PROD;
                            case "staging" -> AWS_STAGING;
                            case "dev" -> AWS_DEV;
                            default -> AWS_SANDBOX;
                        });
        boolean role = r.nextInt(100) < 65;
        String name = (role ? "" : "svc-") + svc + "-" + i;
        String arn = "arn:aws:iam::" + account + ":" + (role ? "role/" : "user/automation/") + name;
        return new Kind(role ? IdentityKind.CLOUD_ROLE : IdentityKind.CLOUD_USER, name, arn, Source.of("aws", account));
    }

    private static Kind kubernetes(SplittableRandom r, long i, String env, String svc) {
        String cluster = pick(
                r,
                env == null
                        ? K8S_SANDBOX
                        : switch (env) {
                            case "prod" -> K8S_PROD;
                            case "staging" -> K8S_STAGING;
                            case "dev" -> K8S_DEV;
                            default -> K8S_SANDBOX;
                        });
        String ns = svc.split("-")[0] + "-" + (i % 97);
        String name = svc + "-" + i;
        return new Kind(
                IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                ns + "/" + name,
                "system:serviceaccount:" + ns + ":" + name,
                Source.of("kubernetes", cluster));
    }

    private static Kind github(SplittableRandom r, long i, String svc) {
        String org = pick(r, GITHUB_ORGS);
        boolean ci = r.nextInt(100) < 70;
        String name = (ci ? "deploy-" : "app-") + svc + "-" + i;
        return new Kind(
                ci ? IdentityKind.CI_INTEGRATION : IdentityKind.OAUTH_CLIENT,
                name,
                "github:" + org + "/" + (ci ? "repo/" + svc + "/workflow/" : "app/") + name,
                Source.of("github", org));
    }

    private static Kind postgres(SplittableRandom r, long i, String env, String svc) {
        String host = "pg-" + (env == null ? "shared" : env) + "-" + (1 + r.nextInt(3)) + ".db.internal";
        String role = svc.replace('-', '_') + "_" + i;
        return new Kind(
                IdentityKind.DATABASE_ROLE,
                role,
                "postgresql://" + host + ":5432/" + role,
                Source.of("postgresql", host + ":5432"));
    }

    private List<Credential> credentials(SplittableRandom r, IdentityKind kind, long i) {
        int n = r.nextInt(5);
        List<Credential> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            CredentialKind ck = switch (kind) {
                case CLOUD_USER -> CredentialKind.ACCESS_KEY;
                case CLOUD_ROLE, KUBERNETES_SERVICE_ACCOUNT, WORKLOAD -> CredentialKind.TOKEN;
                case CI_INTEGRATION, API_KEY -> CredentialKind.API_KEY;
                case OAUTH_CLIENT -> CredentialKind.CLIENT_SECRET;
                case CERTIFICATE -> CredentialKind.CERTIFICATE;
                case SSH_KEY -> CredentialKind.SSH_KEY;
                case DATABASE_ROLE -> CredentialKind.PASSWORD;
            };
            Instant created = now.minus(Duration.ofHours(1 + r.nextInt(3 * 365 * 24)));
            Instant expires = ck == CredentialKind.CERTIFICATE || ck == CredentialKind.TOKEN
                    ? created.plus(Duration.ofDays(30 + r.nextInt(700)))
                    : null;
            Instant used = r.nextInt(4) == 0 ? null : created.plus(Duration.ofHours(r.nextInt(24 * 200)));
            int s = r.nextInt(100);
            CredentialStatus status = s < 85
                    ? CredentialStatus.ACTIVE
                    : s < 93 ? CredentialStatus.INACTIVE : s < 97 ? CredentialStatus.EXPIRED : CredentialStatus.REVOKED;
            boolean keyed = ck == CredentialKind.ACCESS_KEY || ck == CredentialKind.API_KEY;
            out.add(new Credential(
                    null,
                    null,
                    ck,
                    keyed ? "AKIA" + upper(r, 16) : ck.value() + "/" + i + "/" + c,
                    "hmac-sha256:" + hex(r, 32),
                    created,
                    r.nextBoolean() ? created : null,
                    expires,
                    used,
                    status,
                    r.nextInt(3) == 0 ? Map.of("region", "eu-west-1") : Map.of()));
        }
        return out;
    }

    private static List<Entitlement> entitlements(SplittableRandom r, Kind k, String env, String svc) {
        int n = r.nextInt(11);
        List<Entitlement> out = new ArrayList<>(n);
        String e = env == null ? "shared" : env;
        for (int x = 0; x < n; x++) {
            String type = k.source().type();
            if (type.equals("aws")) {
                String action = pick(r, AWS_ACTIONS);
                String resource = r.nextInt(12) == 0
                        ? "*"
                        : "arn:aws:" + action.substring(0, action.indexOf(':')) + ":eu-west-1:"
                                + k.source().scope() + ":" + e + "-" + svc;
                String condition = r.nextInt(20) == 0 ? "{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}" : null;
                out.add(new Entitlement(
                        r.nextInt(25) == 0 ? Effect.DENY : Effect.ALLOW,
                        action,
                        resource,
                        "policy/" + e + "-" + svc,
                        condition));
            } else if (type.equals("kubernetes")) {
                out.add(new Entitlement(
                        Effect.ALLOW,
                        pick(r, K8S_VERBS) + " " + pick(r, K8S_RESOURCES),
                        "namespace/" + svc,
                        "rolebinding/" + svc + "/" + svc,
                        null));
            } else if (type.equals("postgresql")) {
                out.add(new Entitlement(
                        Effect.ALLOW,
                        pick(r, new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "CONNECT"}),
                        "table/" + svc.replace('-', '_') + "_" + x,
                        "grant",
                        null));
            } else {
                out.add(new Entitlement(
                        Effect.ALLOW,
                        pick(r, new String[] {"read", "write", "admin"}),
                        type + ":" + svc,
                        "scope",
                        null));
            }
        }
        return out;
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String hex(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int x = 0; x < n; x++) {
            b.append(HEX.charAt(r.nextInt(16)));
        }
        return b.toString();
    }

    private static String upper(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int x = 0; x < n; x++) {
            b.append(UPPER.charAt(r.nextInt(UPPER.length())));
        }
        return b.toString();
    }
}
