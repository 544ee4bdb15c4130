package dev.warden.posture;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import dev.warden.inventory.Trust;
import dev.warden.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inventory records for posture tests, shaped as the connectors write them (the attribute names
 * of the AWS, Kubernetes, GitHub and certificate connectors). Defaults: owned by team-a, dev,
 * created and first seen 10 days before {@link PostureHarness#NOW}, active machine identity.
 */
public final class Build {
    public static final String ACCOUNT = "111122223333";
    public static final Instant NOW = PostureHarness.NOW;

    private final IdentityKind kind;
    private final String name;
    private final String externalId;
    private final Source source;
    private String environment = "dev";
    private String business = "team-a";
    private String technical = "team-a";
    private String vendor;
    private String workload;
    private IdentityStatus status = IdentityStatus.ACTIVE;
    private Nature nature = Nature.MACHINE;
    private Instant created = NOW.minus(Duration.ofDays(10));
    private Instant firstSeen = NOW.minus(Duration.ofDays(10));
    private Instant removedAt;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Credential> credentials = new ArrayList<>();
    private final List<Entitlement> entitlements = new ArrayList<>();
    private final List<Trust> trusts = new ArrayList<>();

    private Build(IdentityKind kind, String name, String externalId, Source source) {
        this.kind = kind;
        this.name = name;
        this.externalId = externalId;
        this.source = source;
    }

    public static Build awsRole(String name) {
        return new Build(
                IdentityKind.CLOUD_ROLE, name, "arn:aws:iam::" + ACCOUNT + ":role/" + name, Source.of("aws", ACCOUNT));
    }

    public static Build awsUser(String name) {
        return new Build(
                IdentityKind.CLOUD_USER, name, "arn:aws:iam::" + ACCOUNT + ":user/" + name, Source.of("aws", ACCOUNT));
    }

    public static Build serviceAccount(String cluster, String ns, String name) {
        return new Build(
                        IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                        ns + "/" + name,
                        "system:serviceaccount:" + ns + ":" + name,
                        Source.of("kubernetes", cluster))
                .attr("namespace", ns);
    }

    public static Build certificate(String cn, String scope) {
        String fp = sha(cn + scope);
        return new Build(IdentityKind.CERTIFICATE, cn, fp, Source.of("certificate", scope));
    }

    public static Build workflow(String repo, String file) {
        return new Build(
                        IdentityKind.CI_INTEGRATION,
                        repo + ":" + file,
                        "github:" + repo + ":.github/workflows/" + file,
                        Source.of("github", repo.substring(0, repo.indexOf('/'))))
                .attr("repository", repo)
                .workload(repo)
                .vendor("GitHub Actions");
    }

    public static Build postgresRole(String role) {
        return new Build(
                IdentityKind.DATABASE_ROLE,
                role,
                "postgresql://db1.internal:5432/" + role,
                Source.of("postgresql", "db1.internal:5432"));
    }

    public static Build of(IdentityKind kind, String name, String externalId, Source source) {
        return new Build(kind, name, externalId, source);
    }

    public Build env(String e) {
        this.environment = e;
        return this;
    }

    public Build owners(String businessOwner, String technicalOwner) {
        this.business = businessOwner;
        this.technical = technicalOwner;
        return this;
    }

    public Build vendor(String v) {
        this.vendor = v;
        return this;
    }

    public Build workload(String w) {
        this.workload = w;
        return this;
    }

    public Build status(IdentityStatus s) {
        this.status = s;
        return this;
    }

    public Build human() {
        this.nature = Nature.HUMAN;
        return this;
    }

    public Build removed(Instant at) {
        this.status = IdentityStatus.REMOVED;
        this.removedAt = at;
        return this;
    }

    /** Created and first seen {@code days} before now. */
    public Build age(long days) {
        this.created = NOW.minus(Duration.ofDays(days));
        this.firstSeen = created;
        return this;
    }

    public Build firstSeen(Instant t) {
        this.firstSeen = t;
        if (created.isAfter(t)) {
            created = t;
        }
        return this;
    }

    public Build attr(String k, String v) {
        attributes.put(k, v);
        return this;
    }

    public Build credential(Credential c) {
        credentials.add(c);
        return this;
    }

    /** An active access key created {@code ageDays} ago, last used {@code usedDaysAgo} ago (-1: never). */
    public Build accessKey(String id, long ageDays, long usedDaysAgo) {
        return credential(new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                id,
                null,
                NOW.minus(Duration.ofDays(ageDays)),
                NOW.minus(Duration.ofDays(ageDays)),
                null,
                usedDaysAgo < 0 ? null : NOW.minus(Duration.ofDays(usedDaysAgo)),
                CredentialStatus.ACTIVE,
                Map.of()));
    }

    /** A certificate credential valid from {@code notBefore} to {@code notAfter}. */
    public Build cert(Instant notBefore, Instant notAfter) {
        return credential(new Credential(
                null,
                null,
                CredentialKind.CERTIFICATE,
                null,
                externalId,
                notBefore,
                null,
                notAfter,
                null,
                notAfter.isAfter(NOW) ? CredentialStatus.ACTIVE : CredentialStatus.EXPIRED,
                Map.of("serial", "01")));
    }

    public Build allow(String action, String resource, String via) {
        entitlements.add(new Entitlement(Effect.ALLOW, action, resource, via, null));
        return this;
    }

    public Build deny(String action, String resource, String via) {
        entitlements.add(new Entitlement(Effect.DENY, action, resource, via, null));
        return this;
    }

    public Build trust(String type, String principal, String action, String condition) {
        trusts.add(new Trust(Effect.ALLOW, type, principal, action, condition));
        return this;
    }

    public IdentityRecord build() {
        Identity i = Identity.builder(kind, name, externalId, source)
                .environment(environment)
                .owners(business, technical, business == null && technical == null ? null : "tag:owner")
                .workload(workload)
                .status(status)
                .thirdPartyVendor(vendor)
                .createdAt(created)
                .firstSeen(firstSeen)
                .lastSeen(NOW.isBefore(firstSeen) ? firstSeen : NOW)
                .nature(nature, nature == Nature.HUMAN ? "test: a person" : null)
                .attributes(attributes)
                .removedAt(removedAt)
                .build();
        return IdentityRecord.whole(i, credentials, entitlements, trusts);
    }

    public String externalId() {
        return externalId;
    }

    /** A usage event of this identity {@code daysAgo} days before now, made in account {@code target}. */
    public UsageEvent eventIn(String target, long daysAgo, String action) {
        return event(daysAgo, action, "10.0.0.1", "aws-sdk-java/2.25.0", UsageEvent.API, target);
    }

    /** A usage event of this identity {@code daysAgo} days before now. */
    public UsageEvent event(long daysAgo, String action, String ip, String userAgent, String type) {
        return event(daysAgo, action, ip, userAgent, type, null);
    }

    private UsageEvent event(long daysAgo, String action, String ip, String userAgent, String type, String target) {
        return new UsageEvent(
                NOW.minus(Duration.ofDays(daysAgo)),
                source.type(),
                source.scope(),
                externalId,
                null,
                action,
                null,
                ip,
                userAgent,
                type,
                null,
                target);
    }

    static String sha(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
