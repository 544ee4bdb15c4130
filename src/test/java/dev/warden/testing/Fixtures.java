package dev.warden.testing;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small, valid inventory records for tests. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    private Fixtures() {}

    /** An AWS IAM user with one access key and two entitlements. */
    public static IdentityRecord awsUser(String name, String owner, String environment) {
        Identity i = Identity.builder(
                        IdentityKind.CLOUD_USER,
                        name,
                        "arn:aws:iam::111122223333:user/" + name,
                        Source.of("aws", "111122223333"))
                .environment(environment)
                .owners(owner, null, owner == null ? null : "tag:owner")
                .workload(name)
                .purpose("test user")
                .tags(Map.of("team", owner == null ? "none" : owner))
                .createdAt(T0.minus(Duration.ofDays(400)))
                .firstSeen(T0.minus(Duration.ofDays(10)))
                .lastSeen(T0)
                .build();
        Credential key = new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                "AKIA" + pad(name),
                null,
                T0.minus(Duration.ofDays(200)),
                T0.minus(Duration.ofDays(200)),
                null,
                T0.minus(Duration.ofDays(1)),
                CredentialStatus.ACTIVE,
                Map.of("region", "eu-west-1"));
        return new IdentityRecord(
                i,
                List.of(key),
                List.of(
                        new Entitlement(Effect.ALLOW, "s3:GetObject", "arn:aws:s3:::bucket/*", "policy/read", null),
                        new Entitlement(
                                Effect.DENY,
                                "s3:DeleteObject",
                                "*",
                                "policy/guard",
                                "{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}")));
    }

    /** A Kubernetes service account in {@code cluster}, no credentials. */
    public static IdentityRecord serviceAccount(String cluster, String ns, String name, String owner) {
        Identity i = Identity.builder(
                        IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                        ns + "/" + name,
                        "system:serviceaccount:" + ns + ":" + name,
                        Source.of("kubernetes", cluster))
                .environment("prod")
                .owners(null, owner, owner == null ? null : "label:team")
                .workload(name)
                .seen(T0)
                .build();
        return new IdentityRecord(
                i,
                List.of(),
                List.of(new Entitlement(Effect.ALLOW, "get pods", "namespace/" + ns, "rolebinding/x", null)));
    }

    private static String pad(String name) {
        StringBuilder b = new StringBuilder(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", ""));
        while (b.length() < 16) {
            b.append('X');
        }
        return b.substring(0, 16);
    }
}
