package dev.warden.bench.posture;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Trust;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The core benchmark's synthetic estate (bench/src/dev/warden/bench/SyntheticEstate.java, called
 * as it is, through reflection because it is package-private there) with what posture checks read
 * added, deterministically per identity: role trust policies (services, own account, GitHub OIDC
 * with and without a sub condition, a vendor account with and without sts:ExternalId) and last use;
 * console passwords on a few users; Kubernetes workload counts and some legacy token Secrets;
 * certificate key and signature algorithms; CI authentication and environments; a few credentials
 * shared by four identities.
 */
final class PostureEstate {
    static final String GITHUB_OIDC = "token.actions.githubusercontent.com";
    static final String VENDOR_ACCOUNT = "999988887777";

    private final Object estate;
    private final Method records;
    private final long seed;
    private final Instant now;

    PostureEstate(long seed, Instant now) {
        this.seed = seed;
        this.now = now;
        try {
            Class<?> c = Class.forName("dev.warden.bench.SyntheticEstate");
            Constructor<?> k = c.getDeclaredConstructor(long.class, Instant.class);
            k.setAccessible(true);
            estate = k.newInstance(seed, now);
            records = c.getDeclaredMethod("records", long.class, long.class);
            records.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot use dev.warden.bench.SyntheticEstate: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    List<IdentityRecord> records(long from, long to) {
        List<IdentityRecord> base;
        try {
            base = (List<IdentityRecord>) records.invoke(estate, from, to);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
        List<IdentityRecord> out = new ArrayList<>(base.size());
        for (int n = 0; n < base.size(); n++) {
            out.add(enrich(base.get(n), from + n));
        }
        return out;
    }

    private IdentityRecord enrich(IdentityRecord r, long i) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + i * 0x9E3779B97F4A7C15L);
        Identity id = r.identity();
        Map<String, String> attrs = new LinkedHashMap<>(id.attributes());
        List<Credential> credentials = new ArrayList<>(r.credentials());
        List<Trust> trusts = new ArrayList<>(r.trusts());
        List<Entitlement> entitlements = new ArrayList<>(r.entitlements());
        switch (id.kind()) {
            case CLOUD_ROLE -> {
                trusts.add(trust(rnd, id.source().scope()));
                if (rnd.nextInt(100) < 75) {
                    attrs.put(
                            "lastUsedAt",
                            now.minus(Duration.ofDays(rnd.nextInt(400))).toString());
                }
                attrs.put("path", "/");
            }
            case CLOUD_USER -> attrs.put("consolePassword", rnd.nextInt(100) < 3 ? "true" : "false");
            case KUBERNETES_SERVICE_ACCOUNT -> {
                int w = rnd.nextInt(100);
                if (w < 55) {
                    attrs.put("usedByWorkloads", Integer.toString(1 + rnd.nextInt(3)));
                } else if (w < 65) {
                    attrs.put("usedByWorkloads", "0");
                }
                if (rnd.nextInt(100) < 5) {
                    String secret = id.name() + "-token";
                    credentials.add(new Credential(
                            null,
                            null,
                            CredentialKind.TOKEN,
                            "secret/" + secret,
                            null,
                            now.minus(Duration.ofDays(rnd.nextInt(900))),
                            null,
                            null,
                            null,
                            CredentialStatus.ACTIVE,
                            Map.of(
                                    "legacyToken", "true",
                                    "expires", "never",
                                    "type", "kubernetes.io/service-account-token",
                                    "secret", secret)));
                }
                if (rnd.nextInt(200) == 0) {
                    attrs.put("clusterAdmin", "clusterrolebinding/ops-admin");
                    entitlements.add(new Entitlement(
                            Effect.ALLOW,
                            "* */*",
                            "cluster",
                            "clusterrolebinding/ops-admin -> clusterrole/cluster-admin",
                            null));
                }
            }
            case CERTIFICATE -> {
                boolean rsa = rnd.nextInt(100) < 70;
                attrs.put("key_algorithm", rsa ? "RSA" : "EC");
                attrs.put(
                        "key_size",
                        rsa ? (rnd.nextInt(50) == 0 ? "1024" : rnd.nextBoolean() ? "2048" : "4096") : "256");
                attrs.put(
                        "signature_algorithm",
                        rnd.nextInt(33) == 0 ? "SHA1withRSA" : rsa ? "SHA256withRSA" : "SHA256withECDSA");
                attrs.put("is_ca", "false");
                attrs.put("self_signed", "false");
            }
            case CI_INTEGRATION -> {
                int a = rnd.nextInt(100);
                attrs.put("auth", a < 60 ? "oidc" : a < 90 ? "static-secret" : "mixed");
                if (rnd.nextInt(10) == 0) {
                    attrs.put("environments", "staging,prod");
                }
            }
            default -> {}
        }
        if (rnd.nextInt(200) == 0) {
            credentials.add(new Credential(
                    null,
                    null,
                    CredentialKind.API_KEY,
                    "shared-deploy-key-" + (i / 4),
                    null,
                    now.minus(Duration.ofDays(rnd.nextInt(600))),
                    null,
                    null,
                    null,
                    CredentialStatus.ACTIVE,
                    Map.of()));
        }
        Identity enriched = new Identity(
                id.id(),
                id.kind(),
                id.name(),
                id.externalId(),
                id.source(),
                id.environment(),
                id.businessOwner(),
                id.technicalOwner(),
                id.ownershipProvenance(),
                id.workload(),
                id.purpose(),
                id.status(),
                id.thirdPartyVendor(),
                id.tags(),
                id.createdAt(),
                id.firstSeen(),
                id.lastSeen(),
                id.nature(),
                id.natureReason(),
                attrs,
                id.removedAt());
        return IdentityRecord.whole(enriched, credentials, entitlements, trusts);
    }

    private static Trust trust(SplittableRandom rnd, String account) {
        int t = rnd.nextInt(100);
        if (t < 70) {
            return new Trust(
                    Effect.ALLOW,
                    "service",
                    rnd.nextBoolean() ? "ec2.amazonaws.com" : "lambda.amazonaws.com",
                    "sts:AssumeRole",
                    null);
        }
        if (t < 80) {
            return new Trust(Effect.ALLOW, "aws", "arn:aws:iam::" + account + ":root", "sts:AssumeRole", null);
        }
        if (t < 92) {
            String provider = "arn:aws:iam::" + account + ":oidc-provider/" + GITHUB_OIDC;
            int s = rnd.nextInt(3);
            String condition = s == 0
                    ? "{\"StringEquals\":{\"" + GITHUB_OIDC + ":aud\":\"sts.amazonaws.com\"}}"
                    : s == 1
                            ? "{\"StringLike\":{\"" + GITHUB_OIDC + ":sub\":\"repo:acme/*\"}}"
                            : "{\"StringEquals\":{\"" + GITHUB_OIDC + ":sub\":\"repo:acme/app:ref:refs/heads/main\"}}";
            return new Trust(Effect.ALLOW, "federated", provider, "sts:AssumeRoleWithWebIdentity", condition);
        }
        String condition = rnd.nextBoolean() ? "{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}" : null;
        return new Trust(Effect.ALLOW, "aws", "arn:aws:iam::" + VENDOR_ACCOUNT + ":root", "sts:AssumeRole", condition);
    }

    static boolean hasUsageSource(IdentityKind kind) {
        return kind == IdentityKind.CLOUD_ROLE
                || kind == IdentityKind.CLOUD_USER
                || kind == IdentityKind.KUBERNETES_SERVICE_ACCOUNT;
    }
}
